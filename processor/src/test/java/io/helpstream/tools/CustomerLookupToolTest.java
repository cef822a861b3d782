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
    void should_show_profile_and_recent_tickets_and_bind_an_anonymous_conversation() {
        TurnContext turn = turn(null);

        ToolResult result = lookup("John@Example.com", turn);

        Instant since = Instant.parse("2024-01-15T10:00:00Z");
        assertThat(result).isEqualTo(new CustomerFound("CUST001", "John Doe", "john@example.com", "+1234567890",
                "premium", since, null, List.of(new TicketSummary("TICK001", "Laptop not charging",
                TicketStatus.OPEN, TicketPriority.HIGH, since))));
        CustomerBinding bound = TestTurns.outcome(turn).customer();
        assertThat(bound.getEmail()).isEqualTo("john@example.com");
        assertThat(bound.getCustomerId()).isEqualTo("CUST001");
        assertThat(bound.getName()).isEqualTo("John Doe");
        assertThat(bound.getVerified()).isFalse();
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
    void should_refuse_a_second_customer_after_the_first_lookup_bound_the_conversation() {
        TurnContext turn = turn(null);
        lookup("john@example.com", turn);

        ToolResult result = lookup("bob@example.com", turn);

        assertThat(result).isEqualTo(new OtherCustomerRefused("john@example.com", "bob@example.com"));
    }

    @Test
    void should_complete_a_verified_binding_and_keep_it_verified() {
        TurnContext turn = turn(TestTurns.verified("jane@example.com"));

        lookup("jane@example.com", turn);

        CustomerBinding bound = TestTurns.outcome(turn).customer();
        assertThat(bound.getCustomerId()).isEqualTo("CUST002");
        assertThat(bound.getVerified()).isTrue();
    }

    @Test
    void should_say_so_when_no_customer_has_the_email_and_bind_nothing() {
        TurnContext turn = turn(null);

        ToolResult result = lookup("nobody@example.com", turn);

        assertThat(result).isEqualTo(new CustomerNotFound("nobody@example.com"));
        assertThat(TestTurns.outcome(turn).customer()).isNull();
    }
}
