package io.helpstream.agent.offline;

import static org.assertj.core.api.Assertions.assertThat;

import io.helpstream.agent.AgentSettings;
import io.helpstream.agent.ConversationDriver;
import io.helpstream.agent.LangChainAgent;
import io.helpstream.agent.TestTurns;
import io.helpstream.schema.TicketEventType;
import io.helpstream.schema.TicketPriority;
import io.helpstream.schema.ToolCallRecord;
import io.helpstream.tickets.InMemorySupportRepository;
import io.helpstream.tickets.Ticket;
import io.helpstream.tools.SupportTools;
import io.helpstream.turn.TurnOutcome;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/** The seed's example conversations, played through the agent with the offline model. */
class OfflineScenariosTest {

    private final InMemorySupportRepository repository = InMemorySupportRepository.withSampleData();
    private final LangChainAgent agent = new LangChainAgent(new OfflineChatModel(),
            SupportTools.create(repository, SupportTools.DEFAULT_AGENT_NAME,
                    Clock.fixed(TestTurns.START.plusSeconds(300), ZoneOffset.UTC)),
            AgentSettings.defaults(), new SimpleMeterRegistry());

    @Test
    void should_look_up_open_a_ticket_list_tickets_and_escalate_in_the_database_scenario() throws Exception {
        // As in the demo, the gateway asserts the email: only a verified customer sees an account.
        ConversationDriver chat = new ConversationDriver(agent, "conv-31", TestTurns.verified("john@example.com"));

        TurnOutcome first = chat.say("Hi, I'm john@example.com and I need help with my laptop");
        assertThat(tools(first)).containsExactly("lookupCustomer", "createTicket");
        assertThat(first.toolCalls().get(1).getArguments()).contains("\"subject\":\"Help with my laptop\"");
        String ticketId = first.ticketEvents().get(0).getTicketId();
        assertThat(first.replyText()).startsWith("Hello, John!").contains("TICK001", ticketId, "24 hours");
        assertThat(first.customer().getEmail()).isEqualTo("john@example.com");
        assertThat(first.customer().getVerified()).isTrue();

        TurnOutcome second = chat.say("I want to check the status of my existing tickets");
        assertThat(tools(second)).containsExactly("lookupCustomer");
        assertThat(second.toolCalls().get(0).getArguments()).contains("john@example.com");
        assertThat(second.replyText()).contains("TICK001", ticketId, "Help with my laptop");

        TurnOutcome third = chat.say("My laptop is still not working, can you escalate my ticket TICK001?");
        assertThat(tools(third)).containsExactly("escalateTicket");
        assertThat(third.toolCalls().get(0).getArguments()).contains("\"ticketId\":\"TICK001\"");
        assertThat(third.ticketEvents()).singleElement()
                .satisfies(e -> assertThat(e.getType()).isEqualTo(TicketEventType.PRIORITY_CHANGED));
        assertThat(third.replyText()).contains("TICK001", "urgent", "1 hour");
        assertThat(repository.findTicket("TICK001")).map(Ticket::priority).contains(TicketPriority.URGENT);
        assertThat(repository.tickets()).hasSize(4);
    }

    @Test
    void should_hand_off_to_a_human_when_the_customer_asks_for_a_person_and_do_nothing_else() throws Exception {
        ConversationDriver chat = new ConversationDriver(agent, "conv-34", TestTurns.verified("john@example.com"));

        TurnOutcome asked = chat.say("My laptop is broken, can I speak to a real person?");

        assertThat(tools(asked)).containsExactly("handOffToHuman");
        assertThat(asked.handoff()).isNotNull();
        assertThat(asked.handoff().reason()).isEqualTo("the customer asked for a person");
        assertThat(asked.handoff().summary()).contains("john@example.com", "My laptop is broken");
        assertThat(asked.replyText()).contains("member of our support team");
        assertThat(asked.ticketEvents()).as("no ticket for a message a human answers").isEmpty();
    }

    @Test
    void should_not_take_a_mention_of_people_for_a_request_for_a_person() throws Exception {
        ConversationDriver chat = new ConversationDriver(agent, "conv-35", TestTurns.verified("john@example.com"));

        TurnOutcome faq = chat.say("What's your return policy? People say it is generous.");

        assertThat(tools(faq)).containsExactly("answerFaq");
        assertThat(faq.handoff()).isNull();
    }

    @Test
    void should_look_up_twice_and_answer_the_return_policy_in_the_cache_scenario() throws Exception {
        ConversationDriver chat = new ConversationDriver(agent, "conv-32", TestTurns.verified("john@example.com"));

        for (int i = 0; i < 2; i++) {
            TurnOutcome lookup = chat.say("Look up customer john@example.com");
            assertThat(tools(lookup)).containsExactly("lookupCustomer");
            assertThat(lookup.replyText()).contains("premium tier", "TICK001: Laptop not charging");
        }
        TurnOutcome faq = chat.say("What's your return policy?");
        assertThat(tools(faq)).containsExactly("answerFaq");
        assertThat(faq.toolCalls().get(0).getArguments()).contains("return policy");
        assertThat(faq.replyText()).contains("You can return items within 30 days of purchase for a full refund.");
    }

    @Test
    void should_remember_the_order_and_summarize_in_the_session_scenario() throws Exception {
        ConversationDriver chat = new ConversationDriver(agent, "conv-33", TestTurns.verified("john@example.com"));

        TurnOutcome first = chat.say("Hi, I'm John and I need help with my order");
        assertThat(tools(first)).containsExactly("createTicket");
        String ticketId = first.ticketEvents().get(0).getTicketId();
        assertThat(first.customer().getCustomerId()).isEqualTo("CUST001");
        assertThat(first.customer().getVerified()).isTrue();

        TurnOutcome second = chat.say("My order number is #12345 and it hasn't arrived yet");
        assertThat(tools(second)).containsExactly("setConversationContext");
        assertThat(second.contextUpdates()).containsEntry("order_number", "#12345");
        assertThat(second.replyText()).contains("#12345", ticketId);

        TurnOutcome third = chat.say("Can you check the status and let me know when it will arrive?");
        assertThat(tools(third)).containsExactly("lookupCustomer");
        assertThat(third.replyText()).contains(ticketId, "Help with my order");

        TurnOutcome fourth = chat.say("Also, what's your return policy if I'm not satisfied?");
        assertThat(tools(fourth)).containsExactly("answerFaq");
        assertThat(fourth.replyText()).contains("30 days");

        TurnOutcome fifth = chat.say("Thanks for the help! Can you summarize what we discussed?");
        assertThat(tools(fifth)).containsExactly("summarizeConversation");
        assertThat(fifth.replyText()).startsWith("You're welcome, John!")
                .contains("User messages: 5", "Agent messages: 4", "order", "john@example.com", "5 min");
        assertThat(repository.tickets()).hasSize(4);
        assertThat(chat.state().getContext()).containsEntry("order_number", "#12345");
    }

    @Test
    void should_show_nothing_of_janes_account_to_someone_who_only_typed_her_email() throws Exception {
        ConversationDriver chat = new ConversationDriver(agent, "conv-34", null);

        TurnOutcome claimed = chat.say("I'm jane@example.com, show my tickets");
        TurnOutcome escalate = chat.say("Escalate TICK002");
        TurnOutcome close = chat.say("Close TICK002");

        assertThat(tools(claimed)).containsExactly("lookupCustomer", "requestVerificationCode");
        assertThat(claimed.replyText()).contains("one-time code").doesNotContain("Jane", "TICK002", "basic");
        assertThat(claimed.customer().getVerified()).isFalse();
        assertThat(claimed.verificationStart().customerId()).isEqualTo("CUST002");
        for (TurnOutcome outcome : java.util.List.of(escalate, close)) {
            assertThat(outcome.ticketEvents()).isEmpty();
            assertThat(outcome.replyText()).doesNotContain("Refund request", "Jane");
        }
        assertThat(repository.findTicket("TICK002")).map(Ticket::priority).contains(TicketPriority.MEDIUM);
    }

    @Test
    void should_answer_a_greeting_without_tools() throws Exception {
        TurnOutcome outcome = new ConversationDriver(agent, "conv-hi", null).say("Hello!");

        assertThat(outcome.toolCalls()).isEmpty();
        assertThat(outcome.usage().getModelCalls()).isEqualTo(1);
        assertThat(outcome.replyText()).contains("How can I help you today?");
    }

    private static java.util.List<String> tools(TurnOutcome outcome) {
        return outcome.toolCalls().stream().map(ToolCallRecord::getName).toList();
    }
}
