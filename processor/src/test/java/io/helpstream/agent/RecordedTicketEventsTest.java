package io.helpstream.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.helpstream.schema.TicketEvent;
import io.helpstream.schema.TicketEventType;
import io.helpstream.schema.TicketPriority;
import io.helpstream.schema.TokenUsage;
import io.helpstream.tickets.InMemorySupportRepository;
import io.helpstream.tickets.NewTicket;
import io.helpstream.turn.TurnOutcome;
import io.helpstream.turn.TurnRequest;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class RecordedTicketEventsTest {

    private final InMemorySupportRepository repository = InMemorySupportRepository.withSampleData();
    private final TurnRequest request = TestTurns.request(TestTurns.conversation("conv-9", null), "m9", "still broken");

    private static TurnOutcome answerWithoutTools(TurnRequest request) {
        return TurnOutcome.builder().replyText("done").model("fake").usage(new TokenUsage(1, 1, 1)).build();
    }

    @Test
    void should_publish_the_events_of_writes_an_earlier_failed_attempt_made() throws Exception {
        // The first attempt created a ticket and escalated it, then its model failed; the attempt that answers
        // calls no tool at all.
        repository.createTicket(new NewTicket("CUST001", "Phone", "It is broken", TicketPriority.LOW),
                "m9/createTicket/1");
        String ticketId = repository.tickets().get(3).id();
        repository.escalate(ticketId, "angry", "m9/escalateTicket/1");

        TurnOutcome outcome = new RecordedTicketEvents(RecordedTicketEventsTest::answerWithoutTools, repository)
                .respond(request);

        assertThat(outcome.ticketEvents()).extracting(TicketEvent::getType)
                .containsExactly(TicketEventType.CREATED, TicketEventType.PRIORITY_CHANGED);
        TicketEvent created = outcome.ticketEvents().get(0);
        assertThat(created.getTicketId()).isEqualTo(ticketId);
        assertThat(created.getPriority()).isEqualTo(TicketPriority.LOW);
        assertThat(created.getEventId()).isEqualTo(
                UUID.nameUUIDFromBytes("m9/createTicket/1".getBytes(StandardCharsets.UTF_8)).toString());
        assertThat(created.getConversationId()).isEqualTo("conv-9");
        assertThat(created.getMessageId()).isEqualTo("m9");
        assertThat(outcome.ticketEvents().get(1).getPriority()).isEqualTo(TicketPriority.MEDIUM);
        assertThat(outcome.replyText()).isEqualTo("done");
    }

    @Test
    void should_leave_out_other_messages_writes_and_writes_that_changed_nothing() throws Exception {
        repository.createTicket(new NewTicket("CUST001", "Other", "Other", TicketPriority.LOW), "m90/createTicket/1");
        repository.escalate("TICK001", "again", "m9/escalateTicket/1");
        repository.escalate("TICK001", "and again", "m9/escalateTicket/2");

        TurnOutcome outcome = new RecordedTicketEvents(RecordedTicketEventsTest::answerWithoutTools, repository)
                .respond(request);

        assertThat(outcome.ticketEvents()).singleElement().satisfies(event -> {
            assertThat(event.getTicketId()).isEqualTo("TICK001");
            assertThat(event.getPriority()).isEqualTo(TicketPriority.URGENT);
        });
    }
}
