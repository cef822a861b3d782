package io.helpstream.agent;

import io.helpstream.agent.openai.ModelUnavailableException;
import io.helpstream.turn.Agent;
import io.helpstream.turn.TurnOutcome;
import io.helpstream.turn.TurnRequest;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers a turn with the primary agent, and when its model is unavailable ({@link ModelUnavailableException}: failed
 * after retries, breaker open, no call slot) answers the whole turn again with the fallback agent and marks the reply
 * degraded ({@code helpstream.turns.degraded}). The fallback replays the steps the primary recorded in the turn's
 * journal and goes on from there, and tool writes are idempotent per message, so tools the primary already ran are not
 * done twice. Other failures propagate, so the turn is retried as usual.
 */
public final class FallbackAgent implements Agent {

    private static final Logger log = LoggerFactory.getLogger(FallbackAgent.class);

    private final Agent primary;
    private final Agent fallback;
    private final Counter degraded;

    public FallbackAgent(Agent primary, Agent fallback, MeterRegistry registry) {
        this.primary = Objects.requireNonNull(primary, "primary");
        this.fallback = Objects.requireNonNull(fallback, "fallback");
        this.degraded = Counter.builder("helpstream.turns.degraded")
                .description("Turns answered by the fallback model because the configured one was unavailable")
                .register(registry);
    }

    @Override
    public TurnOutcome respond(TurnRequest request) throws Exception {
        try {
            return primary.respond(request);
        } catch (Exception e) {
            Optional<ModelUnavailableException> unavailable = ModelUnavailableException.in(e);
            if (unavailable.isEmpty()) {
                throw e;
            }
            log.warn("Model unavailable for message {} of conversation {} ({}); answering with the fallback model",
                    request.messageId(), request.conversationId(), unavailable.get().getMessage());
            TurnOutcome outcome = fallback.respond(request);
            degraded.increment();
            return outcome.asDegraded();
        }
    }

    /** Both agents keep one journal of the turn: the primary's answer for it is enough. */
    @Override
    public void answered(TurnRequest request) {
        primary.answered(request);
    }
}
