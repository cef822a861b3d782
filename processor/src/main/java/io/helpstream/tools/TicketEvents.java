package io.helpstream.tools;

import io.helpstream.schema.TicketEvent;
import io.helpstream.schema.TicketEventType;
import io.helpstream.tickets.TicketChange;

/** Builds the ticket events a tool's write causes. */
final class TicketEvents {

    private TicketEvents() {
    }

    static TicketEvent of(TicketEventType type, TicketChange change, String idempotencyKey, TurnContext turn) {
        return io.helpstream.tickets.TicketEvents.of(type, change, idempotencyKey, turn.conversationId(),
                turn.messageId());
    }
}
