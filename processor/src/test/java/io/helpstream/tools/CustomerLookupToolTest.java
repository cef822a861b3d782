package io.helpstream.tools;

import static org.assertj.core.api.Assertions.assertThat;

import io.helpstream.agent.TestTurns;
import io.helpstream.schema.CustomerBinding;
import io.helpstream.schema.TicketPriority;
import io.helpstream.schema.TicketStatus;
import io.helpstream.tickets.InMemorySupportRepository;
import io.helpstream.tools.ToolResult.CustomerFound;
import io.helpstream.tools.ToolResult.CustomerNotFound;
import io.helpstream.tools.ToolResult.OtherCustomerRefused;
import io.helpstream.tools.ToolResult.TicketSummary;
import io.helpstream.tools.ToolResult.VerificationRequired;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class CustomerLookupToolTest {

    private final InMemorySupportRepository repository = InMemorySupportRepository.withSampleData();
    private final CustomerLookupTool tool = new CustomerLookupTool(repository);

    private TurnContext turn(CustomerBinding customer) {
        return TestTurns.context(TestTurns.conversation("conv-1", customer), "m1", "text");
    }

    private ToolResult lookup(String email, TurnContext turn) {
        String text = tool.lookupCustomer(email, turn.toInvocationParameters());
        return ToolResults.read(text).orElseThrow(() -> new AssertionError("not a tool result: " + text));
    }

    @Test
    void should_show_profile_and_recent_tickets_to_a_verified_conversation_and_complete_its_binding() {
        TurnContext turn = turn(TestTurns.verified("john@example.com"));

        ToolResult result = lookup("John@Example.com", turn);

        Instant since = Instant.parse("2024-01-15T10:00:00Z");
        assertThat(result).isEqualTo(new CustomerFound("CUST001", "John Doe", "john@example.com", "+1234567890",
                "premium", since, null, List.of(new TicketSummary("TICK001", "Laptop not charging",
                TicketStatus.OPEN, TicketPriority.HIGH, since))));
        CustomerBinding bound = TestTurns.outcome(turn).customer();
        assertThat(bound.getEmail()).isEqualTo("john@example.com");
        assertThat(bound.getCustomerId()).isEqualTo("CUST001");
        assertThat(bound.getName()).isEqualTo("John Doe");
        assertThat(bound.getVerified()).isTrue();
    }

    @Test
    void should_refuse_a_claimed_identity_any_account_data_and_only_record_the_claim() {
        TurnContext turn = turn(null);
        int readsBefore = repository.reads();

        String text = tool.lookupCustomer("jane@example.com", turn.toInvocationParameters());

        assertThat(ToolResults.read(text)).contains(new VerificationRequired("jane@example.com"));
        assertThat(text).doesNotContain("Jane Smith", "CUST002", "TICK002", "basic", "+");
        assertThat(repository.reads()).as("no query at all, so no timing differs").isEqualTo(readsBefore);
        assertThat(TestTurns.outcome(turn).customer())
                .isEqualTo(new CustomerBinding("jane@example.com", null, null, false));
    }

    @Test
    void should_answer_a_known_and_an_unknown_email_alike_when_not_verified() {
        String known = tool.lookupCustomer("jane@example.com", turn(null).toInvocationParameters());
        String unknown = tool.lookupCustomer("nobody@example.com", turn(null).toInvocationParameters());

        assertThat(unknown.replace("nobody@example.com", "jane@example.com")).isEqualTo(known);
    }

    @Test
    void should_keep_a_claim_unverified_when_the_same_email_is_looked_up_again() {
        TurnContext turn = turn(new CustomerBinding("jane@example.com", null, null, false));

        assertThat(lookup("jane@example.com", turn)).isEqualTo(new VerificationRequired("jane@example.com"));
        assertThat(TestTurns.outcome(turn).customer()).isNull();
        assertThat(turn.verified()).isFalse();
    }

    @Test
    void should_refuse_another_customers_email_when_the_conversation_is_bound() {
        TurnContext turn = turn(TestTurns.verified("john@example.com"));
        int readsBefore = repository.reads();

        String text = tool.lookupCustomer("jane@example.com", turn.toInvocationParameters());

        assertThat(ToolResults.read(text)).contains(new OtherCustomerRefused("john@example.com", "jane@example.com"));
        assertThat(text).doesNotContain("Jane");
        assertThat(repository.reads()).isEqualTo(readsBefore);
        assertThat(TestTurns.outcome(turn).customer()).isNull();
    }

    @Test
    void should_say_so_when_a_verified_email_has_no_customer_and_bind_nothing_new() {
        TurnContext turn = turn(TestTurns.verified("nobody@example.com"));

        ToolResult result = lookup("nobody@example.com", turn);

        assertThat(result).isEqualTo(new CustomerNotFound("nobody@example.com"));
        assertThat(TestTurns.outcome(turn).customer()).isNull();
    }
}
