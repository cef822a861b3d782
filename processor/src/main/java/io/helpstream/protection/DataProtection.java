package io.helpstream.protection;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * How helpstream protects the customer data it keeps.
 *
 * @param cipher              encrypts the conversation stores' values (and dead letters, when asked), or none
 * @param deadLetterPayload   what a dead letter keeps of its record
 * @param deadLetterRetention how long the dead-letter topic keeps records, when helpstream creates it
 */
public record DataProtection(ValueCipher cipher, DeadLetterPayload deadLetterPayload, Duration deadLetterRetention) {

    public static final DeadLetterPayload DEFAULT_DEAD_LETTER_PAYLOAD = DeadLetterPayload.KEEP;
    /** A week, Kafka's own default: long enough to look at a dead letter after a weekend. */
    public static final Duration DEFAULT_DEAD_LETTER_RETENTION = Duration.ofDays(7);

    public DataProtection {
        Objects.requireNonNull(cipher, "cipher");
        Objects.requireNonNull(deadLetterPayload, "deadLetterPayload");
        Objects.requireNonNull(deadLetterRetention, "deadLetterRetention");
        if (deadLetterRetention.toMillis() < 1) {
            throw new IllegalArgumentException("deadLetterRetention must be positive, was " + deadLetterRetention);
        }
        // Checked here too, so that no combination reaches the topology that it would refuse there.
        new DeadLetterPolicy(deadLetterPayload, cipher);
    }

    /** Nothing encrypted, dead letters kept as they are (the defaults without a keyset). */
    public static DataProtection none() {
        return new DataProtection(ValueCipher.none(), DEFAULT_DEAD_LETTER_PAYLOAD, DEFAULT_DEAD_LETTER_RETENTION);
    }

    public DeadLetterPolicy deadLetterPolicy() {
        return new DeadLetterPolicy(deadLetterPayload, cipher);
    }

    /** The topic-level configs of the dead-letter topic helpstream creates. */
    public Map<String, String> deadLetterTopicConfigs() {
        return Map.of("retention.ms", String.valueOf(deadLetterRetention.toMillis()));
    }
}
