package io.helpstream.conversation;

import org.apache.kafka.common.errors.SerializationException;

/**
 * Why a record went to the dead-letter topic, as a code: the {@value DeadLetters#REASON} header of every dead letter
 * and the {@code reason} tag of {@value DeadLetters#METER}. An invalid message's code is its
 * {@link InvalidMessageException.Reason}; these are the others.
 */
public enum DeadLetterReason {
    /** The record could not be read: not single-object encoded, an unknown schema, a malformed datum. */
    UNREADABLE_RECORD,
    /** Processing the record failed in a way no validation foresaw. */
    PROCESSING_FAILED,
    /** The message's turn failed every attempt; it was answered with the apology. */
    TURN_FAILED,
    /** Applying the message's finished turn failed; it was answered with the apology. */
    APPLY_FAILED,
    /** The turn's reply, events or history would not fit a record; it was answered with the apology. */
    OUTCOME_TOO_LARGE,
    /** The conversation could not store the message (its state would not fit a record). */
    MESSAGE_NOT_STORED,
    /** A stored record of the conversation could not be read (damaged, another version, another key). */
    UNREADABLE_STATE;

    /** The code for an exception a Kafka Streams handler got. */
    static String codeOf(Exception exception) {
        if (exception instanceof InvalidMessageException invalid) {
            return invalid.reason().name();
        }
        return (exception instanceof SerializationException ? UNREADABLE_RECORD : PROCESSING_FAILED).name();
    }
}
