package io.helpstream.tickets;

import io.helpstream.schema.TicketPriority;
import java.util.Objects;

/** What it takes to open a ticket. */
public record NewTicket(String customerId, String subject, String description, TicketPriority priority) {
    public NewTicket {
        Objects.requireNonNull(customerId, "customerId");
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(priority, "priority");
    }
}
