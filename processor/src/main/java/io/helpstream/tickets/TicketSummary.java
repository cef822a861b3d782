package io.helpstream.tickets;

import io.helpstream.schema.TicketPriority;
import io.helpstream.schema.TicketStatus;
import java.time.Instant;
import java.util.Objects;

/** A ticket as a customer's profile lists it: what the look-up shows, nothing of its description or notes. */
public record TicketSummary(String id, String subject, TicketStatus status, TicketPriority priority,
                            Instant createdAt) {
    public TicketSummary {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(priority, "priority");
        Objects.requireNonNull(createdAt, "createdAt");
    }

    public static TicketSummary of(Ticket ticket) {
        return new TicketSummary(ticket.id(), ticket.subject(), ticket.status(), ticket.priority(),
                ticket.createdAt());
    }
}
