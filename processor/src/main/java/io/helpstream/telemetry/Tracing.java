package io.helpstream.telemetry;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapSetter;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * The tracer of helpstream's spans (turns, model calls, tool calls) and the W3C trace context of Kafka records: a
 * customer message's {@value #TRACEPARENT} header is read, so that a gateway's trace goes on through the turn, and
 * written on the records the turn produces. The W3C format is used whatever propagators the SDK is configured with:
 * it is the format of the records' contract.
 */
public final class Tracing {

    public static final String TRACEPARENT = "traceparent";
    /** The name spans are made under. */
    static final String INSTRUMENTATION = "io.helpstream";
    /** A well-formed traceparent is 55 characters; a longer header is not looked at. */
    private static final int MAX_HEADER_BYTES = 256;

    private static final W3CTraceContextPropagator W3C = W3CTraceContextPropagator.getInstance();
    private static final TextMapGetter<Map<String, String>> GET = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(Map<String, String> carrier) {
            return carrier.keySet();
        }

        @Override
        public String get(Map<String, String> carrier, String key) {
            return carrier == null ? null : carrier.get(key);
        }
    };
    private static final TextMapSetter<Map<String, String>> SET = Map::put;

    private final Tracer tracer;

    private Tracing(Tracer tracer) {
        this.tracer = tracer;
    }

    public static Tracing of(OpenTelemetry openTelemetry) {
        return new Tracing(Objects.requireNonNull(openTelemetry, "openTelemetry").getTracer(INSTRUMENTATION));
    }

    /** No spans recorded; trace context still read and written. */
    public static Tracing off() {
        return of(OpenTelemetry.noop());
    }

    public Tracer tracer() {
        return tracer;
    }

    /**
     * The record's trace context as a well-formed {@code traceparent}, written anew from what was read (so nothing
     * else a gateway put in the header is kept); empty when it has none, or none that parses.
     */
    public static Optional<String> traceparent(Headers headers) {
        Header header = headers == null ? null : headers.lastHeader(TRACEPARENT);
        if (header == null || header.value() == null || header.value().length > MAX_HEADER_BYTES) {
            return Optional.empty();
        }
        SpanContext read = Span.fromContext(parent(new String(header.value(), StandardCharsets.UTF_8)))
                .getSpanContext();
        return read.isValid() ? Optional.of(traceparent(read)) : Optional.empty();
    }

    /** The context a {@code traceparent} names, as a remote parent; the root context for null or a bad value. */
    public static Context parent(String traceparent) {
        if (traceparent == null) {
            return Context.root();
        }
        return W3C.extract(Context.root(), Map.of(TRACEPARENT, traceparent), GET);
    }

    /** The {@code traceparent} of a span context. */
    public static String traceparent(SpanContext span) {
        Map<String, String> carrier = new HashMap<>();
        W3C.inject(Context.root().with(Span.wrap(span)), carrier, SET);
        return carrier.get(TRACEPARENT);
    }

    /** Headers carrying the span's trace context; none for an invalid span (no trace to continue). */
    public static Headers headers(SpanContext span) {
        RecordHeaders headers = new RecordHeaders();
        if (span.isValid()) {
            headers.add(TRACEPARENT, traceparent(span).getBytes(StandardCharsets.UTF_8));
        }
        return headers;
    }

    /** The span contexts the traceparents name, skipping those that do not parse. */
    public static List<SpanContext> contexts(List<String> traceparents) {
        return traceparents.stream().filter(Objects::nonNull)
                .map(traceparent -> Span.fromContext(parent(traceparent)).getSpanContext())
                .filter(SpanContext::isValid).toList();
    }
}
