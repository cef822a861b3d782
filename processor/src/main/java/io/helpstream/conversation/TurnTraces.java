package io.helpstream.conversation;

import io.helpstream.conversation.ConversationStore.Pending;
import io.helpstream.telemetry.GenAi;
import io.helpstream.telemetry.Tracing;
import io.helpstream.turn.TurnCompletion;
import io.helpstream.turn.TurnHandle;
import io.helpstream.turn.TurnRequest;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Scope;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.apache.kafka.common.header.Headers;

/**
 * The span of each turn of one task, on the stream thread: started when the turn is submitted, a child of the trace
 * context its first message arrived with (the others linked), current while it is handed to the turn executor (whose
 * threads carry it on, so that model and tool spans are its children), and ended when the turn is applied. The reply
 * and the ticket events the turn produces carry its {@code traceparent}. One turn per conversation runs at a time, so
 * the spans are kept by conversation id.
 */
final class TurnTraces {

    static final String SPAN_NAME = "invoke_agent helpstream";
    static final AttributeKey<Long> ATTEMPT = AttributeKey.longKey("helpstream.turn.attempt");
    static final AttributeKey<Long> MESSAGES = AttributeKey.longKey("helpstream.turn.messages");
    static final AttributeKey<Boolean> RESUMED = AttributeKey.booleanKey("helpstream.turn.resumed");
    static final AttributeKey<String> RESULT = AttributeKey.stringKey("helpstream.turn.result");
    static final AttributeKey<String> MESSAGE_ID = AttributeKey.stringKey("messaging.message.id");

    private final Tracing tracing;
    private final String inputTopic;
    private final Map<String, Span> running = new HashMap<>();

    TurnTraces(Tracing tracing, String inputTopic) {
        this.tracing = tracing;
        this.inputTopic = inputTopic;
    }

    /** Starts the span of the turn about to be submitted for {@code answering}. */
    void starting(TurnRequest request, List<Pending> answering) {
        List<SpanContext> contexts = Tracing.contexts(answering.stream()
                .map(pending -> pending.message().getTraceparent()).toList());
        SpanBuilder span = tracing.tracer().spanBuilder(SPAN_NAME).setSpanKind(SpanKind.CONSUMER)
                .setParent(contexts.isEmpty() ? io.opentelemetry.context.Context.root()
                        : io.opentelemetry.context.Context.root().with(Span.wrap(contexts.get(0))))
                .setAttribute(GenAi.OPERATION_NAME, "invoke_agent")
                .setAttribute(GenAi.AGENT_NAME, "helpstream")
                .setAttribute(GenAi.CONVERSATION_ID, request.conversationId())
                .setAttribute(MESSAGE_ID, request.messageId())
                .setAttribute("messaging.system", "kafka")
                .setAttribute("messaging.destination.name", inputTopic)
                .setAttribute(ATTEMPT, (long) request.attempt())
                .setAttribute(MESSAGES, (long) request.messages().size())
                .setAttribute(RESUMED, request.resumed());
        contexts.stream().skip(1).forEach(span::addLink);
        Span previous = running.put(request.conversationId(), span.startSpan());
        if (previous != null) {
            previous.end();
        }
    }

    /**
     * Submits the turn with its span current; a turn that did not start (no slot after all) leaves no span behind.
     */
    Optional<TurnHandle> submitting(String conversationId, Supplier<Optional<TurnHandle>> submit) {
        Span span = running.get(conversationId);
        Optional<TurnHandle> handle;
        try (Scope ignored = span == null ? Scope.noop() : span.makeCurrent()) {
            handle = submit.get();
        }
        if (handle.isEmpty()) {
            running.remove(conversationId);
        }
        return handle;
    }

    /** Ends the span of a finished turn; the headers its records carry. */
    Headers finished(TurnCompletion completion) {
        Span span = running.remove(completion.request().conversationId());
        if (span == null) {
            return Tracing.headers(SpanContext.getInvalid());
        }
        if (completion.failure() != null) {
            span.setStatus(StatusCode.ERROR).setAttribute(GenAi.ERROR_TYPE,
                    completion.failure().getClass().getName()).setAttribute(RESULT, "failed");
        } else {
            span.setAttribute(RESULT, completion.outcome().degraded() ? "degraded" : "succeeded");
        }
        span.end();
        return Tracing.headers(span.getSpanContext());
    }

    /** The trace id of the conversation's running turn, for its log lines; empty when none is traced. */
    Optional<String> traceId(String conversationId) {
        Span span = running.get(conversationId);
        return span == null || !span.getSpanContext().isValid() ? Optional.empty()
                : Optional.of(span.getSpanContext().getTraceId());
    }

    /** Drops the span of a conversation's turn that will never be applied (the conversation was removed). */
    void forget(String conversationId) {
        Span span = running.remove(conversationId);
        if (span != null) {
            span.setAttribute(RESULT, "discarded").end();
        }
    }

    /** The task is closing: its running turns are discarded and replayed by the task's next owner. */
    void close() {
        running.values().forEach(span -> span.setAttribute(RESULT, "discarded").end());
        running.clear();
    }
}
