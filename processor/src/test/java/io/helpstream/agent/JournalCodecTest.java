package io.helpstream.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.output.FinishReason;
import dev.langchain4j.model.output.TokenUsage;
import io.helpstream.journal.JournalEntry;
import io.helpstream.journal.JournalEntry.Kind;
import io.helpstream.schema.AuditCategory;
import io.helpstream.schema.AuditOutcome;
import io.helpstream.schema.AuditRecord;
import io.helpstream.schema.CustomerBinding;
import io.helpstream.security.AuditRecords;
import io.helpstream.tools.TurnContext.Tally;
import io.helpstream.turn.TurnOutcome.CodeAttempt;
import io.helpstream.turn.TurnOutcome.VerificationStart;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JournalCodecTest {

    private static final ToolExecutionRequest CREATE = ToolExecutionRequest.builder().id("call-7")
            .name("createTicket").arguments("{\"subject\":\"Printer\"}").build();

    @Test
    void should_replay_a_recorded_answer_only_to_the_messages_it_answered() {
        JournalEntry answer = entry(Kind.MODEL, JournalCodec.model(response(AiMessage.from("Ticket TICK-1 is open.")),
                List.of("m1")));

        assertThat(JournalCodec.response(answer, List.of("m1"))).get().satisfies(response -> {
            assertThat(response.aiMessage().text()).isEqualTo("Ticket TICK-1 is open.");
            assertThat(response.modelName()).isEqualTo("gpt");
            assertThat(response.tokenUsage().inputTokenCount()).isEqualTo(11);
            assertThat(response.finishReason()).isEqualTo(FinishReason.STOP);
        });
        // A rerun that answers m2 too must answer it: the recorded answer is asked for again.
        assertThat(JournalCodec.response(answer, List.of("m1", "m2"))).isEmpty();
    }

    @Test
    void should_replay_recorded_tool_calls_whatever_the_messages_the_rerun_answers() {
        JournalEntry calls = entry(Kind.MODEL, JournalCodec.model(response(AiMessage.from(CREATE)), List.of("m1")));

        assertThat(JournalCodec.response(calls, List.of("m1", "m2"))).get()
                .satisfies(response -> assertThat(response.aiMessage().toolExecutionRequests()).containsExactly(CREATE));
    }

    @Test
    void should_read_back_a_tool_result_with_the_turn_as_the_call_left_it_for_that_very_call_only() {
        Tally tally = new Tally(3, 1, Map.of("createTicket", 1),
                new CustomerBinding("john@example.com", "CUST001", "John Doe", true), Map.of("order", "#1"));
        JournalEntry result = entry(Kind.TOOL, JournalCodec.tool(CREATE, "created TICK-1", false, tally, List.of()));

        assertThat(JournalCodec.toolStep(result, CREATE)).get().satisfies(step -> {
            assertThat(step.result()).isEqualTo("created TICK-1");
            assertThat(step.error()).isFalse();
            assertThat(step.tally()).isEqualTo(tally);
        });
        assertThat(JournalCodec.toolStep(result, CREATE.toBuilder().id("call-8").build())).isEmpty();
        assertThat(JournalCodec.toolStep(entry(Kind.TOOL, "{not json"), CREATE)).isEmpty();
    }

    @Test
    void should_read_back_the_audit_records_codes_and_code_request_a_tool_call_reported() {
        ToolExecutionRequest verify = ToolExecutionRequest.builder().id("call-9").name("verifyCode")
                .arguments("{\"code\":\"123456\"}").build();
        Tally tally = new Tally(2, 0, Map.of(), null, Map.of(), 1, 1, true);
        AuditRecord record = AuditRecords.of("c1", "m1", "turn:1", null, AuditCategory.IDENTITY, "verifyCode",
                AuditOutcome.REFUSED, "wrong code", null, Instant.parse("2026-12-02T10:00:00Z"));
        JournalCodec.Effects effects = new JournalCodec.Effects(List.of(record),
                List.of(new CodeAttempt("123456", Instant.parse("2026-12-02T10:00:01Z"))),
                new VerificationStart("jane@example.com", null));
        JournalEntry result = entry(Kind.TOOL, JournalCodec.tool(verify, "wrong code", false, tally, List.of(),
                effects));

        assertThat(JournalCodec.toolStep(result, verify)).get().satisfies(step -> {
            assertThat(step.tally()).isEqualTo(tally);
            assertThat(step.effects()).isEqualTo(effects);
        });
    }

    @Test
    void should_read_back_the_handoff_a_tool_call_asked_for() {
        ToolExecutionRequest handoff = ToolExecutionRequest.builder().id("call-10").name("handOffToHuman")
                .arguments("{\"reason\":\"asked\",\"summary\":\"wants a person\"}").build();
        Tally tally = new Tally(1, 0, Map.of(), null, Map.of());
        JournalCodec.Effects effects = new JournalCodec.Effects(List.of(), List.of(), null,
                new io.helpstream.turn.TurnOutcome.HandoffRequest("asked", "wants a person"));
        JournalEntry result = entry(Kind.TOOL, JournalCodec.tool(handoff, "handed off", false, tally, List.of(),
                effects));

        assertThat(JournalCodec.toolStep(result, handoff)).get()
                .satisfies(step -> assertThat(step.effects()).isEqualTo(effects));
    }

    private static ChatResponse response(AiMessage message) {
        return ChatResponse.builder().aiMessage(message).modelName("gpt").tokenUsage(new TokenUsage(11, 5))
                .finishReason(FinishReason.STOP).build();
    }

    private static JournalEntry entry(Kind kind, String payload) {
        return new JournalEntry("c1", "m1", 1, kind, payload);
    }
}
