package io.helpstream.tools;

import static org.assertj.core.api.Assertions.assertThat;

import io.helpstream.agent.TestTurns;
import io.helpstream.tools.TurnContext;
import io.helpstream.schema.CustomerBinding;
import io.helpstream.tickets.InMemorySupportRepository;
import org.junit.jupiter.api.Test;

class CustomerLookupToolTest {

    private final InMemorySupportRepository repository = InMemorySupportRepository.withSampleData();
    private final CustomerLookupTool tool = new CustomerLookupTool(repository);

    private TurnContext turn(CustomerBinding customer) {
        return TestTurns.context(TestTurns.conversation("conv-1", customer), "m1", "text");
    }

    @Test
    void should_show_profile_and_recent_tickets_and_bind_an_anonymous_conversation() {
        TurnContext turn = turn(null);

        String result = tool.lookupCustomer("John@Example.com", turn.toInvocationParameters());

        assertThat(result).startsWith("Customer: John Doe").contains("Tier: premium", "Phone: +1234567890",
                "- TICK001: Laptop not charging (open, high priority");
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

        String result = tool.lookupCustomer("jane@example.com", turn.toInvocationParameters());

        assertThat(result).contains("only look up the account of the customer in this conversation")
                .doesNotContain("Jane");
        assertThat(repository.reads()).isEqualTo(readsBefore);
        assertThat(TestTurns.outcome(turn).customer()).isNull();
    }

    @Test
    void should_refuse_a_second_customer_after_the_first_lookup_bound_the_conversation() {
        TurnContext turn = turn(null);
        tool.lookupCustomer("john@example.com", turn.toInvocationParameters());

        String result = tool.lookupCustomer("bob@example.com", turn.toInvocationParameters());

        assertThat(result).contains("only look up").doesNotContain("Bob Johnson");
    }

    @Test
    void should_complete_a_verified_binding_and_keep_it_verified() {
        TurnContext turn = turn(TestTurns.verified("jane@example.com"));

        tool.lookupCustomer("jane@example.com", turn.toInvocationParameters());

        CustomerBinding bound = TestTurns.outcome(turn).customer();
        assertThat(bound.getCustomerId()).isEqualTo("CUST002");
        assertThat(bound.getVerified()).isTrue();
    }

    @Test
    void should_say_so_when_no_customer_has_the_email_and_bind_nothing() {
        TurnContext turn = turn(null);

        String result = tool.lookupCustomer("nobody@example.com", turn.toInvocationParameters());

        assertThat(result).isEqualTo("No customer found with email nobody@example.com.");
        assertThat(TestTurns.outcome(turn).customer()).isNull();
    }
}
