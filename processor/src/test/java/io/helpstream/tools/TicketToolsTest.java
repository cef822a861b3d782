package io.helpstream.tools;

import static org.assertj.core.api.Assertions.assertThat;

import io.helpstream.agent.TestTurns;
import io.helpstream.schema.CustomerBinding;
import io.helpstream.schema.TicketEvent;
import io.helpstream.schema.TicketEventType;
import io.helpstream.schema.TicketPriority;
import io.helpstream.schema.TicketStatus;
import io.helpstream.tickets.InMemorySupportRepository;
import io.helpstream.tickets.Ticket;
import io.helpstream.tools.ToolResult.CustomerNotIdentified;
import io.helpstream.tools.ToolResult.InvalidArgument;
import io.helpstream.tools.ToolResult.LimitReached;
import io.helpstream.tools.ToolResult.TicketAlreadyUrgent;
import io.helpstream.tools.ToolResult.TicketCreated;
import io.helpstream.tools.ToolResult.TicketEscalated;
import io.helpstream.tools.ToolResult.TicketNotFound;
import io.helpstream.tools.ToolResult.TicketStatusChanged;
import io.helpstream.tools.ToolResult.TicketStatusUnchanged;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class TicketToolsTest {

    private final InMemorySupportRepository repository = InMemorySupportRepository.withSampleData();
    private final CreateTicketTool create = new CreateTicketTool(repository);
    private final UpdateTicketTool update = new UpdateTicketTool(repository, "AI_Agent_001");
    private final EscalateTicketTool escalate = new EscalateTicketTool(repository, "AI_Agent_001");

    private static ToolResult read(String text) {
        return ToolResults.read(text).orElseThrow(() -> new AssertionError("not a tool result: " + text));
    }

    private static TurnContext turn(CustomerBinding customer) {
        return TestTurns.context(TestTurns.conversation("conv-1", customer), "m1", "text");
    }

    private static TurnContext john() {
        return john("m1");
    }

    private static TurnContext john(String messageId) {
        return TestTurns.context(TestTurns.conversation("conv-1",
                new CustomerBinding("john@example.com", "CUST001", "John Doe", true)), messageId, "text");
    }

    @Test
    void should_create_a_ticket_with_response_time_and_a_created_event() {
        TurnContext turn = john();

        ToolResult result = read(create.createTicket("Screen flickers", "The screen flickers after the update",
                "URGENT", turn.toInvocationParameters()));

        Ticket ticket = repository.tickets().get(3);
        assertThat(ticket.customerId()).isEqualTo("CUST001");
        assertThat(ticket.priority()).isEqualTo(TicketPriority.URGENT);
        assertThat(result).isEqualTo(new TicketCreated(ticket.id(), "John Doe", "Screen flickers",
                TicketPriority.URGENT, "1 hour"));
        TicketEvent event = TestTurns.outcome(turn).ticketEvents().get(0);
        assertThat(event.getType()).isEqualTo(TicketEventType.CREATED);
        assertThat(event.getEventId()).isEqualTo(
                UUID.nameUUIDFromBytes((TurnContext.keyPrefix(turn.conversationId(), "m1") + "createTicket/1")
                        .getBytes(StandardCharsets.UTF_8)).toString());
        assertThat(event.getStatus()).isEqualTo(TicketStatus.OPEN);
        assertThat(event.getPriority()).isEqualTo(TicketPriority.URGENT);
        assertThat(event.getSubject()).isEqualTo("Screen flickers");
    }

    @Test
    void should_promise_the_response_time_of_each_priority() {
        assertThat(List.of(create.createTicket("a", "a", "low", john("m1").toInvocationParameters()),
                create.createTicket("b", "b", "Medium", john("m2").toInvocationParameters()),
                create.createTicket("c", "c", "high", john("m3").toInvocationParameters()),
                create.createTicket("d", "d", "urgent", john("m4").toInvocationParameters())))
                .map(text -> ((TicketCreated) read(text)).responseTime())
                .containsExactly("48 hours", "24 hours", "4 hours", "1 hour");
    }

    @Test
    void should_list_valid_priorities_and_create_nothing_for_an_invalid_one() {
        TurnContext turn = john();

        ToolResult result = read(create.createTicket("Broken", "It broke", "critical", turn.toInvocationParameters()));

        assertThat(result).isEqualTo(new InvalidArgument("priority", "critical",
                List.of("low", "medium", "high", "urgent")));
        assertThat(repository.tickets()).hasSize(3);
        assertThat(TestTurns.outcome(turn).ticketEvents()).isEmpty();
    }

    @Test
    void should_ask_to_identify_the_customer_before_creating_a_ticket() {
        ToolResult result = read(create.createTicket("Broken", "It broke", "high", turn(null).toInvocationParameters()));

        assertThat(result).isEqualTo(new CustomerNotIdentified());
        assertThat(repository.tickets()).hasSize(3);
    }

    @Test
    void should_find_the_customer_id_of_a_gateway_verified_email() {
        TurnContext turn = turn(TestTurns.verified("bob@example.com"));

        create.createTicket("Cannot log in", "Password reset fails", "medium", turn.toInvocationParameters());

        assertThat(repository.tickets().get(3).customerId()).isEqualTo("CUST003");
        assertThat(TestTurns.outcome(turn).customer().getCustomerId()).isEqualTo("CUST003");
    }

    @Test
    void should_update_status_with_the_configured_agent_and_a_status_event() {
        TurnContext turn = john();

        ToolResult result = read(update.updateTicketStatus("tick001", "In Progress", " Looking into it ",
                turn.toInvocationParameters()));

        Ticket ticket = repository.findTicket("TICK001").orElseThrow();
        assertThat(ticket.status()).isEqualTo(TicketStatus.IN_PROGRESS);
        assertThat(ticket.assignedAgent()).isEqualTo("AI_Agent_001");
        assertThat(result).isEqualTo(new TicketStatusChanged("TICK001", TicketStatus.IN_PROGRESS, "Looking into it"));
        assertThat(TestTurns.outcome(turn).ticketEvents()).singleElement()
                .satisfies(e -> assertThat(e.getType()).isEqualTo(TicketEventType.STATUS_CHANGED));
    }

    @Test
    void should_list_valid_statuses_for_an_invalid_one() {
        ToolResult result = read(update.updateTicketStatus("TICK001", "done", "", john().toInvocationParameters()));

        assertThat(result).isEqualTo(new InvalidArgument("status", "done",
                List.of("open", "in_progress", "resolved", "closed")));
        assertThat(repository.findTicket("TICK001").orElseThrow().status()).isEqualTo(TicketStatus.OPEN);
    }

    @Test
    void should_not_touch_another_customers_ticket() {
        TurnContext turn = john();

        ToolResult update = read(this.update.updateTicketStatus("TICK002", "closed", "", turn.toInvocationParameters()));
        ToolResult escalation = read(escalate.escalateTicket("TICK002", "angry", turn.toInvocationParameters()));
        ToolResult missing = read(escalate.escalateTicket("TICK999", "angry", turn.toInvocationParameters()));

        assertThat(update).isEqualTo(escalation).isEqualTo(new TicketNotFound("TICK002"));
        assertThat(missing).isEqualTo(new TicketNotFound("TICK999"));
        Ticket janes = repository.findTicket("TICK002").orElseThrow();
        assertThat(janes.status()).isEqualTo(TicketStatus.IN_PROGRESS);
        assertThat(janes.priority()).isEqualTo(TicketPriority.MEDIUM);
        assertThat(TestTurns.outcome(turn).ticketEvents()).isEmpty();
    }

    @Test
    void should_escalate_one_level_and_then_say_it_is_already_urgent() {
        TurnContext turn = john();

        ToolResult first = read(escalate.escalateTicket("TICK001", "Still not working", turn.toInvocationParameters()));
        ToolResult second = read(escalate.escalateTicket("TICK001", "Still not working", turn.toInvocationParameters()));

        assertThat(first).isEqualTo(new TicketEscalated("TICK001", "Laptop not charging", TicketPriority.URGENT,
                "1 hour"));
        assertThat(second).isEqualTo(new TicketAlreadyUrgent("TICK001", "1 hour"));
        assertThat(TestTurns.outcome(turn).ticketEvents()).singleElement().satisfies(e -> {
            assertThat(e.getType()).isEqualTo(TicketEventType.PRIORITY_CHANGED);
            assertThat(e.getPriority()).isEqualTo(TicketPriority.URGENT);
        });
    }

    @Test
    void should_refuse_writes_past_the_limit_of_the_turn_and_write_nothing() {
        TurnContext turn = john();
        for (int i = 0; i < ToolLimits.DEFAULT_MAX_WRITES_PER_TURN; i++) {
            assertThat(read(create.createTicket("Issue " + i, "It broke", "low", turn.toInvocationParameters())))
                    .isInstanceOf(TicketCreated.class);
        }
        int tickets = repository.tickets().size();

        ToolResult created = read(create.createTicket("One more", "It broke", "low", turn.toInvocationParameters()));
        ToolResult escalated = read(escalate.escalateTicket("TICK001", "again", turn.toInvocationParameters()));

        assertThat(created).isEqualTo(new LimitReached(TicketAccess.WRITES_PER_MESSAGE,
                ToolLimits.DEFAULT_MAX_WRITES_PER_TURN));
        assertThat(escalated).isEqualTo(created);
        assertThat(repository.tickets()).hasSize(tickets);
        assertThat(repository.findTicket("TICK001").orElseThrow().priority()).isEqualTo(TicketPriority.HIGH);
        assertThat(TestTurns.outcome(turn).ticketEvents()).hasSize(ToolLimits.DEFAULT_MAX_WRITES_PER_TURN);
    }

    @Test
    void should_return_the_same_ticket_when_the_same_turn_creates_it_again() {
        String first = create.createTicket("Broken", "It broke", "high", john().toInvocationParameters());
        String replay = create.createTicket("Broken", "It broke", "high", john().toInvocationParameters());

        assertThat(replay).isEqualTo(first);
        assertThat(read(replay)).isInstanceOf(TicketCreated.class);
        assertThat(repository.tickets()).hasSize(4);
    }

    @Test
    void should_say_the_ticket_already_has_the_status_and_report_no_event() {
        TurnContext turn = john();

        ToolResult result = read(update.updateTicketStatus("TICK001", "open", "", turn.toInvocationParameters()));

        assertThat(result).isEqualTo(new TicketStatusUnchanged("TICK001", TicketStatus.OPEN));
        assertThat(TestTurns.outcome(turn).ticketEvents()).isEmpty();
    }

    @Test
    void should_refuse_every_ticket_tool_until_the_customer_is_identified() {
        TurnContext anonymous = turn(null);

        assertThat(List.of(
                update.updateTicketStatus("TICK001", "closed", "", anonymous.toInvocationParameters()),
                escalate.escalateTicket("TICK001", "angry", anonymous.toInvocationParameters())))
                .map(TicketToolsTest::read).containsOnly(new CustomerNotIdentified());
        assertThat(repository.findTicket("TICK001").orElseThrow().status()).isEqualTo(TicketStatus.OPEN);
    }

    @Test
    void should_not_spend_an_idempotency_key_on_a_refused_call() {
        TurnContext turn = john();

        escalate.escalateTicket("TICK002", "angry", turn.toInvocationParameters());
        escalate.escalateTicket("TICK001", "angry", turn.toInvocationParameters());

        assertThat(TestTurns.outcome(turn).ticketEvents()).singleElement().satisfies(e -> assertThat(e.getEventId())
                .isEqualTo(UUID.nameUUIDFromBytes((TurnContext.keyPrefix(turn.conversationId(), "m1")
                        + "escalateTicket/1").getBytes(StandardCharsets.UTF_8)).toString()));
    }

    @Test
    void should_give_a_message_id_reused_in_another_conversation_its_own_ticket_never_the_first_ones() {
        TurnContext johns = john("m1");
        ToolResult first = read(create.createTicket("John's printer", "jams", "low", johns.toInvocationParameters()));
        TurnContext janes = TestTurns.context(TestTurns.conversation("conv-2",
                new CustomerBinding("jane@example.com", "CUST002", "Jane Smith", true)), "m1", "text");

        ToolResult second = read(create.createTicket("Jane's modem", "no signal", "low",
                janes.toInvocationParameters()));

        assertThat(first).isInstanceOf(TicketCreated.class);
        assertThat(second).isInstanceOfSatisfying(TicketCreated.class, created -> {
            assertThat(created.ticketId()).isNotEqualTo(((TicketCreated) first).ticketId());
            assertThat(created.customerName()).isEqualTo("Jane Smith");
            assertThat(repository.findTicket(created.ticketId()).orElseThrow().customerId()).isEqualTo("CUST002");
        });
        assertThat(TestTurns.outcome(janes).ticketEvents()).singleElement()
                .satisfies(event -> assertThat(event.getCustomerId()).isEqualTo("CUST002"));
    }

    @Test
    void should_act_for_the_customer_the_database_gives_for_the_bound_email_whatever_id_the_binding_carries() {
        // A binding whose id came from a poisoned cache entry: John's email with Jane's customer id.
        TurnContext turn = TestTurns.context(TestTurns.conversation("conv-1",
                new CustomerBinding("john@example.com", "CUST002", "Jane Smith", true)), "m1", "text");

        ToolResult janes = read(escalate.escalateTicket("TICK002", "angry", turn.toInvocationParameters()));
        ToolResult created = read(create.createTicket("Printer", "jams", "low", turn.toInvocationParameters()));

        assertThat(janes).isEqualTo(new TicketNotFound("TICK002"));
        assertThat(repository.findTicket("TICK002").orElseThrow().priority()).isEqualTo(TicketPriority.MEDIUM);
        assertThat(created).isInstanceOfSatisfying(TicketCreated.class, ticket -> assertThat(
                repository.findTicket(ticket.ticketId()).orElseThrow().customerId()).isEqualTo("CUST001"));
        assertThat(turn.customer()).get().extracting(CustomerBinding::getCustomerId).isEqualTo("CUST001");
    }

    @Test
    void should_refuse_a_claimed_identity_access_to_tickets_and_write_nothing() {
        TurnContext claimed = turn(new CustomerBinding("jane@example.com", "CUST002", "Jane Smith", false));
        java.util.List<io.helpstream.tickets.Ticket> before = repository.tickets();
        ToolResult.VerificationRequired refusal = new ToolResult.VerificationRequired("jane@example.com");

        assertThat(read(update.updateTicketStatus("TICK002", "closed", "", claimed.toInvocationParameters())))
                .isEqualTo(refusal);
        assertThat(read(escalate.escalateTicket("TICK002", "now", claimed.toInvocationParameters())))
                .isEqualTo(refusal);
        assertThat(read(create.createTicket("Refund", "where", "high", claimed.toInvocationParameters())))
                .isEqualTo(refusal);

        assertThat(repository.tickets()).isEqualTo(before);
        assertThat(TestTurns.outcome(claimed).ticketEvents()).isEmpty();
        assertThat(claimed.nextIdempotencyKey("probe")).as("no refused call took a key").endsWith("/probe/1");
    }
}
