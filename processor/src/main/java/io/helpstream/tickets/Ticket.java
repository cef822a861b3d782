package io.helpstream.tickets;

import io.helpstream.schema.TicketPriority;
import io.helpstream.schema.TicketStatus;
import java.time.Instant;
import java.util.Objects;

/** A support ticket as stored in the database. */
public record Ticket(String id, String customerId, String subject, String description, TicketStatus status,
                     TicketPriority priority, Instant createdAt, Instant updatedAt, String assignedAgent) {
    public Ticket {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(customerId, "customerId");
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(priority, "priority");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(updatedAt, "updatedAt");
    }
}
