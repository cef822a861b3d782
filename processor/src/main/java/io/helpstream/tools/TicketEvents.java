package io.helpstream.tools;

import io.helpstream.agent.RecordedTicketEvents;
import io.helpstream.tools.TurnContext;
import io.helpstream.schema.TicketEvent;
import io.helpstream.schema.TicketEventType;
import io.helpstream.tickets.Ticket;
import io.helpstream.tickets.TicketChange;

/** Builds the ticket events a tool's write causes. */
final class TicketEvents {

    private TicketEvents() {
    }

    /** The event id is derived from the idempotency key, so a replayed write yields the very same event. */
    static TicketEvent of(TicketEventType type, TicketChange change, String idempotencyKey, TurnContext turn) {
        Ticket ticket = change.ticket();
        return new TicketEvent(RecordedTicketEvents.eventId(idempotencyKey), type, ticket.id(), ticket.customerId(), ticket.status(), ticket.priority(), ticket.subject(),
                change.at(), turn.conversationId(), turn.messageId());
    }
}
