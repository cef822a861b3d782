package io.helpstream.tickets;

import java.util.List;
import java.util.Objects;

/**
 * A customer with their most recent tickets, newest first: what the look-up tool shows and the cache keeps, and no
 * more (a ticket's description, notes and assignee stay in the database).
 */
public record CustomerProfile(Customer customer, List<TicketSummary> recentTickets) {
    public CustomerProfile {
        Objects.requireNonNull(customer, "customer");
        recentTickets = List.copyOf(recentTickets);
    }
}
