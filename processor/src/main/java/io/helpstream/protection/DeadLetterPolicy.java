package io.helpstream.protection;

import io.helpstream.contract.SealedValues;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import org.apache.kafka.common.header.Headers;

/**
 * Applies the dead-letter payload policy to a dead letter's value, and says in headers what it did:
 * {@value #PAYLOAD} is {@code plain}, {@code encrypted} or {@code redacted}; a redacted one carries the payload's size
 * ({@value #PAYLOAD_BYTES}) and the message id when it is known ({@value #MESSAGE_ID}). Keys are conversation ids and
 * stay as they are, so a dead letter lands on its conversation's partition when replayed.
 */
public final class DeadLetterPolicy {

    public static final String PAYLOAD = "helpstream.payload";
    public static final String PAYLOAD_BYTES = "helpstream.payload.bytes";
    public static final String MESSAGE_ID = "helpstream.message-id";

    /** The key under which Kafka Streams hands the policy to the exception handlers it creates from the config. */
    public static final String CONFIG = "helpstream.dead.letter.policy";

    private static final byte[] NOTHING = new byte[0];

    private final DeadLetterPayload payload;
    private final ValueCipher cipher;

    public DeadLetterPolicy(DeadLetterPayload payload, ValueCipher cipher) {
        this.payload = Objects.requireNonNull(payload, "payload");
        this.cipher = Objects.requireNonNull(cipher, "cipher");
        if (payload == DeadLetterPayload.ENCRYPT && !cipher.enabled()) {
            throw new IllegalArgumentException("dead letters can be encrypted only with a keyset");
        }
    }

    /** The records as they were, unencrypted: how helpstream always wrote them. */
    public static DeadLetterPolicy keep() {
        return new DeadLetterPolicy(DeadLetterPayload.KEEP, ValueCipher.none());
    }

    public DeadLetterPayload payload() {
        return payload;
    }

    /**
     * The value to write for a dead letter of {@code value} (null stays null), with the headers that say so added.
     *
     * @param messageId the message's id when known (a redacted dead letter keeps it), else null
     */
    public byte[] apply(byte[] key, byte[] value, String messageId, Headers headers) {
        switch (payload) {
            case KEEP -> {
                headers.add(PAYLOAD, bytes("plain"));
                return value;
            }
            case ENCRYPT -> {
                headers.add(PAYLOAD, bytes(value == null ? "plain" : "encrypted"));
                return value == null ? null : cipher.seal(SealedValues.DEAD_LETTERS, key, value);
            }
            default -> {
                headers.add(PAYLOAD, bytes("redacted"));
                headers.add(PAYLOAD_BYTES, bytes(String.valueOf(value == null ? 0 : value.length)));
                if (messageId != null) {
                    headers.add(MESSAGE_ID, bytes(messageId));
                }
                return value == null ? null : NOTHING;
            }
        }
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
