package io.helpstream.tools;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.langchain4j.invocation.InvocationParameters;
import io.helpstream.agent.TestTurns;
import io.helpstream.turn.TurnOutcome;
import java.util.List;
import org.junit.jupiter.api.Test;

class TurnContextTest {

    @Test
    void should_hand_out_idempotency_keys_counted_per_tool() {
        TurnContext turn = TestTurns.context(TestTurns.conversation("conv-1", null), "msg-9", "text");

        String prefix = "msg-9/" + TurnContext.conversationTag("conv-1") + "/";
        assertThat(turn.nextIdempotencyKey("createTicket")).isEqualTo(prefix + "createTicket/1");
        assertThat(turn.nextIdempotencyKey("escalateTicket")).isEqualTo(prefix + "escalateTicket/1");
        assertThat(turn.nextIdempotencyKey("createTicket")).isEqualTo(prefix + "createTicket/2");
    }

    @Test
    void should_scope_the_keys_of_a_message_id_by_its_conversation() {
        TurnContext mine = TestTurns.context(TestTurns.conversation("conv-1", null), "m1", "text");
        TurnContext reused = TestTurns.context(TestTurns.conversation("conv-2", null), "m1", "text");

        assertThat(mine.nextIdempotencyKey("createTicket")).isNotEqualTo(reused.nextIdempotencyKey("createTicket"))
                .startsWith(TurnContext.keyPrefix("conv-1", "m1"));
        assertThat(TurnContext.keyPrefix("conv-1", "m1")).doesNotStartWith(TurnContext.keyPrefix("conv-2", "m1"))
                .matches("m1/c[0-9a-f]{32}/");
    }

    @Test
    void should_give_a_replayed_turn_the_same_keys() {
        TurnContext first = TestTurns.context(TestTurns.conversation("conv-1", null), "msg-9", "text");
        TurnContext replay = TestTurns.context(TestTurns.conversation("conv-1", null), "msg-9", "text");

        first.nextIdempotencyKey("createTicket");
        replay.nextIdempotencyKey("createTicket");

        assertThat(replay.nextIdempotencyKey("createTicket")).isEqualTo(first.nextIdempotencyKey("createTicket"));
    }

    @Test
    void should_grant_exactly_the_configured_number_of_tool_calls() {
        TurnContext turn = TurnContext.of(TestTurns.request(TestTurns.conversation("conv-1", null), "m1", "text"),
                TurnOutcome.builder(), new ToolLimits(3, 5, 0, 1));

        assertThat(List.of(turn.claimCall(), turn.claimCall(), turn.claimCall(), turn.claimCall(), turn.claimCall()))
                .containsExactly(true, true, true, false, false);
        // Counted apart from writes, which the tools claim on their own.
        assertThat(turn.claimWrite()).isTrue();
    }

    @Test
    void should_see_a_binding_learned_earlier_in_the_turn() {
        TurnContext turn = TestTurns.context(TestTurns.conversation("conv-1", null), "m1", "text");

        turn.bindCustomer(TestTurns.verified("jane@example.com"));

        assertThat(turn.customer()).map(c -> c.getEmail()).contains("jane@example.com");
        assertThat(TestTurns.outcome(turn).customer().getEmail()).isEqualTo("jane@example.com");
    }

    @Test
    void should_travel_in_invocation_parameters_and_fail_clearly_without_them() {
        TurnContext turn = TestTurns.context(TestTurns.conversation("conv-1", null), "m1", "text");

        assertThat(TurnContext.from(turn.toInvocationParameters())).isSameAs(turn);
        assertThatThrownBy(() -> TurnContext.from(new InvocationParameters()))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("TurnContext");
    }
}
