package io.helpstream.agent;

import dev.langchain4j.model.ModelProvider;
import dev.langchain4j.model.chat.listener.ChatModelErrorContext;
import dev.langchain4j.model.chat.listener.ChatModelListener;
import dev.langchain4j.model.chat.listener.ChatModelRequestContext;
import dev.langchain4j.model.chat.listener.ChatModelResponseContext;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.output.TokenUsage;
import io.helpstream.agent.openai.ModelErrorKind;
import io.helpstream.agent.openai.ModelUnavailableException;
import io.helpstream.telemetry.GenAi;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Every model call, measured and traced under the OpenTelemetry GenAI semantic conventions: {@value #DURATION} (a
 * timer, with {@code error.type} when the call failed) and {@value #TOKENS} (a distribution of tokens per call, by
 * {@code gen_ai.token.type} input or output), tagged with {@code gen_ai.operation.name}, {@code gen_ai.provider.name},
 * {@code gen_ai.request.model} and {@code gen_ai.response.model}; and a client span {@code chat <model>} per call, a
 * child of the turn's, with the same names, the token usage and the finish reason. No message content is recorded.
 */
final class ModelObservation implements ChatModelListener {

    static final String DURATION = "gen_ai.client.operation.duration";
    static final String TOKENS = "gen_ai.client.token.usage";
    static final String OPERATION = "chat";

    /** The attributes under which the start of a call and its span wait for its end. */
    private static final String STARTED = "helpstream.started";
    private static final String SPAN = "helpstream.span";

    private final MeterRegistry registry;
    private final Tracer tracer;

    ModelObservation(MeterRegistry registry, Tracer tracer) {
        this.registry = Objects.requireNonNull(registry, "registry");
        this.tracer = Objects.requireNonNull(tracer, "tracer");
    }

    @Override
    public void onRequest(ChatModelRequestContext context) {
        context.attributes().put(STARTED, System.nanoTime());
        String model = requestModel(context.chatRequest());
        context.attributes().put(SPAN, tracer.spanBuilder(OPERATION + " " + model).setSpanKind(SpanKind.CLIENT)
                .setAttribute(GenAi.OPERATION_NAME, OPERATION)
                .setAttribute(GenAi.PROVIDER_NAME, providerName(context.modelProvider()))
                .setAttribute(GenAi.REQUEST_MODEL, model)
                .startSpan());
    }

    @Override
    public void onResponse(ChatModelResponseContext context) {
        ChatResponse response = context.chatResponse();
        Tags tags = tags(context.chatRequest(), context.modelProvider())
                .and("gen_ai.response.model", orNone(response.modelName()));
        duration(tags).record(elapsed(context.attributes().get(STARTED)));
        TokenUsage usage = response.tokenUsage();
        if (usage != null) {
            record(tags.and("gen_ai.token.type", "input"), usage.inputTokenCount());
            record(tags.and("gen_ai.token.type", "output"), usage.outputTokenCount());
        }
        if (context.attributes().get(SPAN) instanceof Span span) {
            span.setAttribute(GenAi.RESPONSE_MODEL, orNone(response.modelName()));
            if (response.id() != null) {
                span.setAttribute(GenAi.RESPONSE_ID, response.id());
            }
            if (response.finishReason() != null) {
                span.setAttribute(GenAi.FINISH_REASONS,
                        List.of(response.finishReason().name().toLowerCase(Locale.ROOT)));
            }
            if (usage != null && usage.inputTokenCount() != null) {
                span.setAttribute(GenAi.INPUT_TOKENS, usage.inputTokenCount().longValue());
            }
            if (usage != null && usage.outputTokenCount() != null) {
                span.setAttribute(GenAi.OUTPUT_TOKENS, usage.outputTokenCount().longValue());
            }
            span.end();
        }
    }

    @Override
    public void onError(ChatModelErrorContext context) {
        Tags tags = tags(context.chatRequest(), context.modelProvider()).and("gen_ai.response.model", "none")
                .and("error.type", errorType(context.error()));
        duration(tags).record(elapsed(context.attributes().get(STARTED)));
        if (context.attributes().get(SPAN) instanceof Span span) {
            // The type only: a model server's error message may quote the request.
            span.setStatus(StatusCode.ERROR).setAttribute(GenAi.ERROR_TYPE, errorType(context.error())).end();
        }
    }

    /** The kind of failure: a remote model's error kind, else the exception's class. */
    static String errorType(Throwable error) {
        return ModelUnavailableException.in(error).map(ModelUnavailableException::reason)
                .orElseGet(() -> {
                    ModelErrorKind kind = ModelErrorKind.of(error);
                    return kind == ModelErrorKind.OTHER ? error.getClass().getSimpleName() : kind.tag();
                });
    }

    static String providerName(ModelProvider provider) {
        return provider == null ? "other" : provider.name().toLowerCase(Locale.ROOT).replace("_", "");
    }

    private static Tags tags(ChatRequest request, ModelProvider provider) {
        return Tags.of("gen_ai.operation.name", OPERATION, "gen_ai.provider.name", providerName(provider),
                "gen_ai.request.model", requestModel(request));
    }

    private static String requestModel(ChatRequest request) {
        return orNone(request == null || request.parameters() == null ? null : request.parameters().modelName());
    }

    private Timer duration(Tags tags) {
        return Timer.builder(DURATION).description("Duration of model calls").tags(tags)
                .publishPercentiles(0.5, 0.99).register(registry);
    }

    private void record(Tags tags, Integer tokens) {
        if (tokens != null) {
            DistributionSummary.builder(TOKENS).description("Tokens per model call").tags(tags)
                    .register(registry).record(tokens);
        }
    }

    private static Duration elapsed(Object started) {
        return started instanceof Long nanos ? Duration.ofNanos(System.nanoTime() - nanos) : Duration.ZERO;
    }

    private static String orNone(String value) {
        return value == null || value.isBlank() ? "none" : value;
    }
}
