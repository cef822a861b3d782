package io.helpstream.tickets;

import static org.assertj.core.api.Assertions.assertThat;

import io.helpstream.schema.TicketEvent;
import io.helpstream.schema.TicketEventType;
import io.helpstream.schema.TicketPriority;
import java.nio.charset.StandardCharsets;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class TicketEventsTest {

    private final InMemorySupportRepository repository = InMemorySupportRepository.withSampleData();

    @Test
    void should_build_the_same_event_from_a_tools_write_and_from_what_the_database_recorded() {
        String key = "m1/escalateTicket/1";
        TicketChange change = repository.escalate("TICK001", "still broken", key).orElseThrow();

        TicketEvent reported = TicketEvents.of(TicketEventType.PRIORITY_CHANGED, change, key, "conv-1", "m1");
        TicketEvent rebuilt = TicketEvents.of(repository.changesRecordedUnder("m1/").get(0), "conv-1", "m1");

        assertThat(rebuilt).isEqualTo(reported);
        assertThat(reported.getEventId())
                .isEqualTo(UUID.nameUUIDFromBytes(key.getBytes(StandardCharsets.UTF_8)).toString());
        assertThat(reported.getTicketId()).isEqualTo("TICK001");
        assertThat(reported.getCustomerId()).isEqualTo("CUST001");
        assertThat(reported.getPriority()).isEqualTo(TicketPriority.URGENT);
        // The event carries milliseconds.
        assertThat(reported.getOccurredAt()).isEqualTo(change.at().truncatedTo(ChronoUnit.MILLIS));
        assertThat(reported.getConversationId()).isEqualTo("conv-1");
        assertThat(reported.getMessageId()).isEqualTo("m1");
    }
}
