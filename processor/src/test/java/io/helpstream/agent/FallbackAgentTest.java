package io.helpstream.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.helpstream.agent.openai.ModelUnavailableException;
import io.helpstream.schema.TokenUsage;
import io.helpstream.turn.Agent;
import io.helpstream.turn.TurnOutcome;
import io.helpstream.turn.TurnRequest;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class FallbackAgentTest {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final TurnRequest request = TestTurns.request(
            TestTurns.conversation("c-1", TestTurns.verified("john@example.com")), "m-1", "Hello");
    private final AtomicInteger fallbackTurns = new AtomicInteger();
    private final Agent fallback = turn -> {
        fallbackTurns.incrementAndGet();
        return answer("From the fallback.", "offline");
    };

    private static TurnOutcome answer(String text, String model) {
        return TurnOutcome.builder().replyText(text).model(model).usage(new TokenUsage(1, 2, 1)).build();
    }

    private double degradedTurns() {
        return registry.get("helpstream.turns.degraded").counter().count();
    }

    @Test
    void should_answer_with_the_primary_when_its_model_answers() throws Exception {
        FallbackAgent agent = new FallbackAgent(turn -> answer("From the model.", "remote"), fallback, registry);

        TurnOutcome outcome = agent.respond(request);

        assertThat(outcome.replyText()).isEqualTo("From the model.");
        assertThat(outcome.degraded()).isFalse();
        assertThat(fallbackTurns).hasValue(0);
        assertThat(degradedTurns()).isZero();
    }

    @Test
    void should_answer_the_whole_turn_with_the_fallback_marked_degraded_when_the_model_is_unavailable()
            throws Exception {
        FallbackAgent agent = new FallbackAgent(turn -> {
            throw new IllegalStateException("AI service failed",
                    new ModelUnavailableException("breaker_open", "breaker open", null));
        }, fallback, registry);

        TurnOutcome outcome = agent.respond(request);

        assertThat(outcome.replyText()).isEqualTo("From the fallback.");
        assertThat(outcome.model()).isEqualTo("offline");
        assertThat(outcome.degraded()).isTrue();
        assertThat(degradedTurns()).isEqualTo(1);
    }

    @Test
    void should_let_other_failures_through_so_the_turn_is_retried() {
        FallbackAgent agent = new FallbackAgent(turn -> {
            throw new IllegalStateException("a bug");
        }, fallback, registry);

        assertThatThrownBy(() -> agent.respond(request)).isInstanceOf(IllegalStateException.class)
                .hasMessage("a bug");
        assertThat(fallbackTurns).hasValue(0);
        assertThat(degradedTurns()).isZero();
    }
}
