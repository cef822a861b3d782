package io.helpstream.tickets;

import io.helpstream.schema.TicketEventType;
import java.time.Instant;
import java.util.Objects;

/**
 * The outcome of an idempotent ticket write.
 *
 * @param ticket        the ticket after the write
 * @param customerEmail email of the ticket's customer (lets a cache drop that customer's entry)
 * @param changed       false when the write changed nothing (e.g. escalating an urgent ticket)
 * @param replayed      true when the idempotency key had been used before and the earlier result is returned
 * @param at            when the change was first applied
 */
public record TicketChange(Ticket ticket, String customerEmail, boolean changed, boolean replayed, Instant at) {
    public TicketChange {
        Objects.requireNonNull(ticket, "ticket");
        Objects.requireNonNull(customerEmail, "customerEmail");
        Objects.requireNonNull(at, "at");
    }

    /** This outcome as a change recorded under its idempotency key, with the ticket as this outcome carries it. */
    public RecordedTicketChange recordedAs(TicketEventType type, String idempotencyKey) {
        return new RecordedTicketChange(idempotencyKey, type, ticket.id(), ticket.customerId(), ticket.subject(),
                ticket.status(), ticket.priority(), at);
    }
}
