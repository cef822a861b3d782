package io.helpstream.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.helpstream.schema.TicketEvent;
import io.helpstream.schema.TicketEventType;
import io.helpstream.schema.TicketPriority;
import io.helpstream.schema.TokenUsage;
import io.helpstream.tickets.InMemorySupportRepository;
import io.helpstream.tickets.NewTicket;
import io.helpstream.tools.TurnContext;
import io.helpstream.turn.TurnOutcome;
import io.helpstream.turn.TurnRequest;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class RecordedTicketEventsTest {

    /** How the keys of message m9's writes in conversation conv-9 start. */
    private static final String M9 = TurnContext.keyPrefix("conv-9", "m9");

    private final InMemorySupportRepository repository = InMemorySupportRepository.withSampleData();
    private final TurnRequest first = TestTurns.request(TestTurns.conversation("conv-9", null), "m9", "still broken");
    private final TurnRequest retry = new TurnRequest(first.message(), first.conversation(), 2);
    private final TurnRequest resumed = new TurnRequest(first.message(), first.conversation(), 1, true);

    private static TurnOutcome answerWithoutTools(TurnRequest request) {
        return TurnOutcome.builder().replyText("done").model("fake").usage(new TokenUsage(1, 1, 1)).build();
    }

    @Test
    void should_publish_the_events_of_writes_an_earlier_failed_attempt_made() throws Exception {
        // The first attempt created a ticket and escalated it, then its model failed; the attempt that answers
        // calls no tool at all.
        repository.createTicket(new NewTicket("CUST001", "Phone", "It is broken", TicketPriority.LOW),
                M9 + "createTicket/1");
        String ticketId = repository.tickets().get(3).id();
        repository.escalate(ticketId, "angry", M9 + "escalateTicket/1");

        TurnOutcome outcome = new RecordedTicketEvents(RecordedTicketEventsTest::answerWithoutTools, repository)
                .respond(retry);

        assertThat(outcome.ticketEvents()).extracting(TicketEvent::getType)
                .containsExactly(TicketEventType.CREATED, TicketEventType.PRIORITY_CHANGED);
        TicketEvent created = outcome.ticketEvents().get(0);
        assertThat(created.getTicketId()).isEqualTo(ticketId);
        assertThat(created.getPriority()).isEqualTo(TicketPriority.LOW);
        assertThat(created.getEventId()).isEqualTo(
                UUID.nameUUIDFromBytes((M9 + "createTicket/1").getBytes(StandardCharsets.UTF_8)).toString());
        assertThat(created.getConversationId()).isEqualTo("conv-9");
        assertThat(created.getMessageId()).isEqualTo("m9");
        assertThat(outcome.ticketEvents().get(1).getPriority()).isEqualTo(TicketPriority.MEDIUM);
        assertThat(outcome.replyText()).isEqualTo("done");
    }

    @Test
    void should_leave_out_other_messages_writes_and_writes_that_changed_nothing() throws Exception {
        repository.createTicket(new NewTicket("CUST001", "Other", "Other", TicketPriority.LOW), TurnContext.keyPrefix("conv-9", "m90") + "createTicket/1");
        repository.escalate("TICK001", "again", M9 + "escalateTicket/1");
        repository.escalate("TICK001", "and again", M9 + "escalateTicket/2");

        TurnOutcome outcome = new RecordedTicketEvents(RecordedTicketEventsTest::answerWithoutTools, repository)
                .respond(resumed);

        assertThat(outcome.ticketEvents()).singleElement().satisfies(event -> {
            assertThat(event.getTicketId()).isEqualTo("TICK001");
            assertThat(event.getPriority()).isEqualTo(TicketPriority.URGENT);
        });
    }

    @Test
    void should_rebuild_the_events_of_a_degraded_answer_from_the_database() throws Exception {
        repository.createTicket(new NewTicket("CUST001", "Modem", "No signal", TicketPriority.HIGH),
                M9 + "createTicket/1");

        TurnOutcome outcome = new RecordedTicketEvents(request -> TurnOutcome.builder().replyText("fallback")
                .model("offline").usage(new TokenUsage(0, 0, 1)).degraded(true).build(), repository).respond(first);

        assertThat(outcome.ticketEvents()).singleElement()
                .satisfies(event -> assertThat(event.getType()).isEqualTo(TicketEventType.CREATED));
        assertThat(outcome.degraded()).isTrue();
    }

    @Test
    void should_keep_the_events_of_an_undisturbed_first_attempt_without_asking_the_database() throws Exception {
        TicketEvent reported = TicketEvent.newBuilder().setEventId("e1").setType(TicketEventType.CREATED)
                .setTicketId("TICK-000009").setCustomerId("CUST001").setStatus(io.helpstream.schema.TicketStatus.OPEN)
                .setPriority(TicketPriority.LOW).setSubject("s").setOccurredAt(TestTurns.START)
                .setConversationId("conv-9").setMessageId("m9").build();
        // The database is down: a first attempt must still be answered with what its tools reported.
        TurnOutcome outcome = new RecordedTicketEvents(request -> TurnOutcome.builder().replyText("the system is down")
                .model("fake").usage(new TokenUsage(1, 1, 1)).ticketEvent(reported).build(),
                new FailingSupportRepository()).respond(first);

        assertThat(outcome.ticketEvents()).containsExactly(reported);
        assertThat(outcome.replyText()).isEqualTo("the system is down");
    }
}
