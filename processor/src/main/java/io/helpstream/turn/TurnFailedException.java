package io.helpstream.turn;

import io.helpstream.schema.TicketEvent;
import java.util.List;
import java.util.Objects;

/**
 * A turn that failed after its tools had already written: the ticket events of those writes travel with the failure,
 * so that a message answered with the apology after its last attempt still publishes an event for every write its
 * attempts made.
 */
public final class TurnFailedException extends RuntimeException {

    private final transient List<TicketEvent> ticketEvents;

    public TurnFailedException(Throwable cause, List<TicketEvent> ticketEvents) {
        // The cause's class only: its message may quote the customer (it follows as the cause, shown where allowed).
        super("a turn failed after its tools wrote: " + Objects.requireNonNull(cause, "cause").getClass().getName(),
                cause);
        this.ticketEvents = List.copyOf(ticketEvents);
    }

    public List<TicketEvent> ticketEvents() {
        return ticketEvents;
    }

    /** The events a failure carries anywhere in its cause chain; empty when none. */
    public static List<TicketEvent> eventsIn(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof TurnFailedException failed) {
                return failed.ticketEvents();
            }
        }
        return List.of();
    }
}
