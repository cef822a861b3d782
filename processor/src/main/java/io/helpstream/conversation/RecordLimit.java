package io.helpstream.conversation;

/** Refuses a record before it is written when it is larger than the configured limit. */
final class RecordLimit {

    private RecordLimit() {
    }

    static byte[] check(String what, byte[] encoded, int maxBytes) {
        if (encoded.length > maxBytes) {
            throw new OversizeRecordException(what + " of " + encoded.length + " bytes is larger than the limit of "
                    + maxBytes + " bytes");
        }
        return encoded;
    }

    /** A record that would exceed the limit; the message says which and by how much. */
    static final class OversizeRecordException extends RuntimeException {
        OversizeRecordException(String message) {
            super(message);
        }
    }
}
