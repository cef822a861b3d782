package io.helpstream.tickets;

import io.helpstream.schema.TicketEvent;
import io.helpstream.schema.TicketEventType;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * Builds the event a ticket change publishes, whether the tool that wrote it reports it or it is rebuilt later from
 * what the database recorded under the write's idempotency key.
 */
public final class TicketEvents {

    private TicketEvents() {
    }

    /** The event of a write a tool just made (or replayed) under {@code idempotencyKey}. */
    public static TicketEvent of(TicketEventType type, TicketChange change, String idempotencyKey,
                                 String conversationId, String messageId) {
        return of(change.recordedAs(type, idempotencyKey), conversationId, messageId);
    }

    public static TicketEvent of(RecordedTicketChange change, String conversationId, String messageId) {
        return new TicketEvent(eventId(change.idempotencyKey()), change.type(), change.ticketId(),
                change.customerId(), change.status(), change.priority(), change.subject(), change.at(),
                conversationId, messageId);
    }

    /**
     * Derived from the idempotency key, so a replayed write, and the same write rebuilt from the database, yield the
     * very same event id.
     */
    static String eventId(String idempotencyKey) {
        return UUID.nameUUIDFromBytes(idempotencyKey.getBytes(StandardCharsets.UTF_8)).toString();
    }
}
