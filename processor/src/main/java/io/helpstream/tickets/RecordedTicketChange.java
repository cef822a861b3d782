package io.helpstream.tickets;

import io.helpstream.schema.TicketEventType;
import io.helpstream.schema.TicketPriority;
import io.helpstream.schema.TicketStatus;
import java.time.Instant;
import java.util.Objects;

/**
 * A ticket change as the database recorded it under its idempotency key: what kind of change, and the ticket's
 * status and priority right after it. What a ticket event is built from ({@link TicketEvents}).
 */
public record RecordedTicketChange(String idempotencyKey, TicketEventType type, String ticketId, String customerId,
                                   String subject, TicketStatus status, TicketPriority priority, Instant at) {
    public RecordedTicketChange {
        Objects.requireNonNull(idempotencyKey, "idempotencyKey");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(ticketId, "ticketId");
        Objects.requireNonNull(customerId, "customerId");
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(priority, "priority");
        Objects.requireNonNull(at, "at");
    }
}
