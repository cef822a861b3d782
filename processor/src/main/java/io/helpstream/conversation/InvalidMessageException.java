package io.helpstream.conversation;

import java.util.Objects;

/**
 * A customer message that cannot be answered. Thrown on the stream thread, it sends the record, unchanged, to the
 * dead-letter topic with headers naming the reason (Kafka Streams' processing exception handler does the routing).
 */
public class InvalidMessageException extends RuntimeException {

    /** Why a message was refused; the code starts the exception message, so it shows in the dead-letter headers. */
    public enum Reason {
        EMPTY_KEY, MISSING_VALUE, KEY_MISMATCH, MISSING_FIELD, INVALID_ID, TEXT_TOO_LONG, CHANNEL_TOO_LONG,
        METADATA_TOO_LARGE, INVALID_EMAIL, IDENTITY_MISMATCH, INBOX_FULL
    }

    private final Reason reason;

    public InvalidMessageException(Reason reason, String detail) {
        super(Objects.requireNonNull(reason, "reason") + ": " + detail);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
