package io.helpstream.protection;

/** What a dead letter keeps of the record it stands for. */
public enum DeadLetterPayload {
    /** The record's bytes as they were: readable, and replayable as they are. */
    KEEP,
    /** The record's bytes encrypted with the keyset, bound to the dead letter's key: replayable with the keyset. */
    ENCRYPT,
    /** No bytes: the ids, reason and sizes in headers only; not replayable. */
    REDACT
}
