package io.helpstream.tools;

import static org.assertj.core.api.Assertions.assertThat;

import io.helpstream.agent.TestTurns;
import io.helpstream.schema.ConversationState;
import io.helpstream.schema.CustomerBinding;
import io.helpstream.schema.TicketPriority;
import io.helpstream.security.VerificationCodes;
import io.helpstream.security.VerificationSettings;
import io.helpstream.tickets.InMemorySupportRepository;
import io.helpstream.tools.ToolResult.VerificationCodeSent;
import io.helpstream.tools.ToolResult.VerificationFailed;
import io.helpstream.tools.ToolResult.VerificationPassed;
import io.helpstream.tools.ToolResult.VerificationRequired;
import io.helpstream.tools.ToolResult.VerificationUnavailable;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class VerificationToolsTest {

    private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");
    private final InMemorySupportRepository repository = InMemorySupportRepository.withSampleData();
    private final VerificationTools tools = new VerificationTools(repository, VerificationSettings.defaults(),
            Clock.fixed(NOW.plusSeconds(30), ZoneOffset.UTC));

    private static TurnContext claimedWithCode(VerificationCodes.Issued issued) {
        ConversationState conversation = TestTurns.conversation("conv-1",
                new CustomerBinding("jane@example.com", null, null, false));
        conversation.setVerification(issued.pending());
        return TestTurns.context(conversation, "m1", "text");
    }

    private ToolResult verify(TurnContext turn, String code) {
        return ToolResults.read(tools.verifyCode(code, turn.toInvocationParameters())).orElseThrow();
    }

    @Test
    void should_answer_the_same_for_a_known_and_an_unknown_email_and_never_show_the_code() {
        TurnContext known = TestTurns.context(TestTurns.conversation("conv-1", null), "m1", "text");
        TurnContext unknown = TestTurns.context(TestTurns.conversation("conv-2", null), "m1", "text");

        String toJane = tools.requestVerificationCode("jane@example.com", known.toInvocationParameters());
        String toNobody = tools.requestVerificationCode("nobody@example.com", unknown.toInvocationParameters());

        assertThat(ToolResults.read(toJane)).contains(new VerificationCodeSent("jane@example.com", 10));
        assertThat(toNobody.replace("nobody@example.com", "jane@example.com")).isEqualTo(toJane);
        assertThat(TestTurns.outcome(known).verificationStart().customerId()).isEqualTo("CUST002");
        assertThat(TestTurns.outcome(unknown).verificationStart().customerId()).isNull();
    }

    @Test
    void should_count_every_code_a_model_tries_in_one_turn_and_stop_at_the_attempt_limit() {
        VerificationCodes.Issued issued = VerificationCodes.issue("jane@example.com", NOW,
                VerificationSettings.defaults());
        TurnContext turn = claimedWithCode(issued);
        String wrong = issued.code().equals("000000") ? "000001" : "000000";

        for (int left = 4; left >= 0; left--) {
            assertThat(verify(turn, wrong)).isEqualTo(new VerificationFailed(left));
        }
        for (int i = 0; i < 15; i++) {
            assertThat(verify(turn, issued.code())).isEqualTo(new VerificationUnavailable("exhausted"));
        }
        assertThat(turn.verified()).isFalse();
        assertThat(TestTurns.outcome(turn).codeAttempts()).hasSize(20);
    }

    @Test
    void should_verify_with_the_right_code_and_then_let_the_same_turn_act_for_the_customer() {
        VerificationCodes.Issued issued = VerificationCodes.issue("jane@example.com", NOW,
                VerificationSettings.defaults());
        TurnContext turn = claimedWithCode(issued);
        CreateTicketTool create = new CreateTicketTool(repository);
        assertThat(ToolResults.read(create.createTicket("Refund", "where is it", "low",
                turn.toInvocationParameters()))).contains(new VerificationRequired("jane@example.com"));

        assertThat(verify(turn, issued.code().substring(0, 3) + " " + issued.code().substring(3)))
                .isEqualTo(new VerificationPassed("jane@example.com"));

        assertThat(turn.verified()).isTrue();
        assertThat(ToolResults.read(create.createTicket("Refund", "where is it", "low",
                turn.toInvocationParameters()))).get().isInstanceOfSatisfying(ToolResult.TicketCreated.class,
                created -> assertThat(created.priority()).isEqualTo(TicketPriority.LOW));
        assertThat(repository.tickets()).filteredOn(t -> t.customerId().equals("CUST002")).hasSize(2);
    }
}
