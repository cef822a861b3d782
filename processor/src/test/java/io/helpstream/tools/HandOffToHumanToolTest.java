package io.helpstream.tools;

import static org.assertj.core.api.Assertions.assertThat;

import io.helpstream.agent.TestTurns;
import io.helpstream.turn.PersonRequest;
import io.helpstream.turn.TurnOutcome;
import org.junit.jupiter.api.Test;

/** The handoff tool asks for a handoff on the turn's outcome, and never without a reason. */
class HandOffToHumanToolTest {

    private final HandOffToHumanTool tool = new HandOffToHumanTool();

    private static TurnContext turn(TurnOutcome.Builder outcome) {
        return TurnContext.of(TestTurns.request(TestTurns.conversation("c1", null), "m1", "a person please"),
                outcome);
    }

    @Test
    void should_put_the_reason_and_the_summary_on_the_outcome_and_tell_the_model_to_announce_it() {
        TurnOutcome.Builder outcome = TurnOutcome.builder();

        String result = tool.handOffToHuman("  customer asked  ", " Wants a refund ",
                turn(outcome).toInvocationParameters());

        assertThat(outcome.handoffSoFar()).isEqualTo(new TurnOutcome.HandoffRequest("customer asked",
                "Wants a refund"));
        assertThat(ToolResults.read(result)).contains(new ToolResult.HandoffRequested("customer asked"));
    }

    @Test
    void should_refuse_a_handoff_without_a_reason_and_clip_a_long_summary() {
        TurnOutcome.Builder refused = TurnOutcome.builder();
        assertThat(ToolResults.read(tool.handOffToHuman(" ", "summary", turn(refused).toInvocationParameters())))
                .contains(new ToolResult.HandoffNeedsReason());
        assertThat(refused.handoffSoFar()).isNull();

        TurnOutcome.Builder clipped = TurnOutcome.builder();
        tool.handOffToHuman("why", "x".repeat(5_000), turn(clipped).toInvocationParameters());
        assertThat(clipped.handoffSoFar().summary()).hasSize(HandOffToHumanTool.MAX_SUMMARY_CHARS);
    }

    @Test
    void should_recognise_explicit_requests_for_a_person_only() {
        assertThat(PersonRequest.in("Can I talk to a human?")).isTrue();
        assertThat(PersonRequest.in("I'd like to speak with a real person")).isTrue();
        assertThat(PersonRequest.in("connect me to a live agent please")).isTrue();
        assertThat(PersonRequest.in("I want a human")).isTrue();
        assertThat(PersonRequest.in("My order for three people has not arrived")).isFalse();
        assertThat(PersonRequest.in("Is the agent of this parcel service reliable?")).isFalse();
        assertThat(PersonRequest.in(null)).isFalse();
    }
}
