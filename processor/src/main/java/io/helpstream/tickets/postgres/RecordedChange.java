package io.helpstream.tickets.postgres;

import java.time.Instant;

/** A {@code tool_idempotency} row: what the first call with a key did. */
record RecordedChange(String ticketId, boolean changed, Instant createdAt) {
}
