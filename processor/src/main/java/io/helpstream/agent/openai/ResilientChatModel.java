package io.helpstream.agent.openai;

import dev.langchain4j.model.ModelProvider;
import dev.langchain4j.model.chat.Capability;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.request.ChatRequestParameters;
import dev.langchain4j.model.chat.response.ChatResponse;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Objects;
import java.util.Set;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A chat model behind retries, a circuit breaker, a rate limiter and a bulkhead (outermost first; see
 * {@link ResilienceGuards}). A call that still fails, or is not let through, ends in a
 * {@link ModelUnavailableException} carrying the {@link ModelErrorKind}, so the turn can fall back. The wrapped model
 * must not retry on its own.
 */
public final class ResilientChatModel implements ChatModel {

    private static final Logger log = LoggerFactory.getLogger(ResilientChatModel.class);

    private final ChatModel delegate;
    private final ResilienceGuards guards;
    private final ModelCallMeters meters;

    public ResilientChatModel(ChatModel delegate, ResilienceSettings settings, MeterRegistry registry) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
        this.guards = new ResilienceGuards(Objects.requireNonNull(settings, "settings"));
        this.meters = new ModelCallMeters(registry);
    }

    @Override
    public ChatResponse doChat(ChatRequest request) {
        Supplier<ChatResponse> guarded = guards.decorate(() -> attempt(request));
        try {
            return guarded.get();
        } catch (RuntimeException e) {
            ModelErrorKind kind = ModelErrorKind.of(e);
            if (kind == ModelErrorKind.BREAKER_OPEN || kind == ModelErrorKind.REJECTED) {
                meters.failed(kind);
            }
            throw unavailable(kind, e);
        }
    }

    private ChatResponse attempt(ChatRequest request) {
        try {
            ChatResponse response = delegate.chat(request);
            meters.succeeded(response.tokenUsage());
            return response;
        } catch (RuntimeException e) {
            ModelErrorKind kind = ModelErrorKind.of(e);
            meters.failed(kind);
            // A model server's error body may echo the request, and so the customer's words: it is logged only at
            // DEBUG, never in a line an operator's log collection keeps by default.
            if (kind == ModelErrorKind.AUTHENTICATION) {
                log.error("The model server refused the credentials{}: check OPENAI_API_KEY (and OPENAI_BASE_URL); "
                        + "turns are answered by the offline model meanwhile", status(e));
            } else if (kind == ModelErrorKind.NOT_FOUND) {
                log.error("The model server answered HTTP 404: check OPENAI_MODEL and OPENAI_BASE_URL");
            }
            log.debug("Model call failed ({}): {}", kind.tag(), e.getMessage());
            throw e;
        }
    }

    private static ModelUnavailableException unavailable(ModelErrorKind kind, RuntimeException e) {
        String message = switch (kind) {
            case BREAKER_OPEN -> "the model's circuit breaker is open after repeated failures";
            case REJECTED -> "no model call slot or rate-limit permit became free in time";
            default -> "the model call failed: " + kind.tag() + status(e) + " (" + e.getClass().getSimpleName() + ")";
        };
        return new ModelUnavailableException(kind.tag(), message, e);
    }

    private static String status(Throwable e) {
        return ModelHttpException.in(e).map(http -> " (HTTP " + http.statusCode() + ")").orElse("");
    }

    /** The circuit breaker's state, for logs and tests. */
    public CircuitBreaker.State breakerState() {
        return guards.breakerState();
    }

    @Override
    public ChatRequestParameters defaultRequestParameters() {
        return delegate.defaultRequestParameters();
    }

    @Override
    public Set<Capability> supportedCapabilities() {
        return delegate.supportedCapabilities();
    }

    @Override
    public ModelProvider provider() {
        return delegate.provider();
    }
}
