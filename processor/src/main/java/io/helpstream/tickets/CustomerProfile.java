package io.helpstream.tickets;

import java.util.List;
import java.util.Objects;

/** A customer with their most recent tickets, newest first: what the look-up tool shows and the cache keeps. */
public record CustomerProfile(Customer customer, List<Ticket> recentTickets) {
    public CustomerProfile {
        Objects.requireNonNull(customer, "customer");
        recentTickets = List.copyOf(recentTickets);
    }
}
