package io.helpstream.admin;

import io.helpstream.contract.SealedValues;
import io.helpstream.contract.Topics;
import io.helpstream.protection.DeadLetterPolicy;
import io.helpstream.protection.ValueCipher;
import io.helpstream.schema.CustomerMessage;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

/**
 * One record of the dead-letter topic, as an operator looks at it: where it is, when it came, why (its
 * {@code helpstream.reason} code), what it holds, and whether it can be replayed.
 *
 * @param headers every header but the payload, as text
 */
public record DeadLetter(String topic, int partition, long offset, Instant time, String conversationId,
                         Map<String, String> headers, byte[] value) {

    static final String REASON = "helpstream.reason";
    static final String RECORD = "helpstream.record";
    static final String MESSAGE = "__streams.errors.message";
    static final String EXCEPTION = "__streams.errors.exception";
    static final String SOURCE_TOPIC = "__streams.errors.topic";
    static final String SOURCE_PARTITION = "__streams.errors.partition";
    static final String CUSTOMER_MESSAGE = "customer-message";

    static DeadLetter of(ConsumerRecord<byte[], byte[]> record) {
        Map<String, String> headers = new LinkedHashMap<>();
        for (Header header : record.headers()) {
            headers.put(header.key(), header.value() == null ? null
                    : new String(header.value(), StandardCharsets.UTF_8));
        }
        return new DeadLetter(record.topic(), record.partition(), record.offset(),
                Instant.ofEpochMilli(record.timestamp()),
                record.key() == null ? null : new String(record.key(), StandardCharsets.UTF_8), headers,
                record.value());
    }

    /** Where it is: {@code topic/partition/offset}, what the ledger and the replay marker name it by. */
    public String coordinates() {
        return topic + "/" + partition + "/" + offset;
    }

    /** Its reason code; older dead letters have none and are known by their exception. */
    public String reason() {
        return Optional.ofNullable(headers.get(REASON))
                .orElseGet(() -> Optional.ofNullable(headers.get(EXCEPTION)).map(DeadLetter::simpleName)
                        .orElse("UNKNOWN"));
    }

    /** What the bytes are: {@code customer-message}, or the store a stored record came from. */
    public String kind() {
        return headers.getOrDefault(RECORD, CUSTOMER_MESSAGE);
    }

    /** {@code plain}, {@code encrypted} or {@code redacted}. */
    public String payload() {
        return headers.getOrDefault(DeadLetterPolicy.PAYLOAD, "plain");
    }

    /** Why it cannot be replayed; empty when it can. */
    public Optional<String> notReplayable(ValueCipher cipher) {
        if (!kind().equals(CUSTOMER_MESSAGE)) {
            return Optional.of("a stored record of " + kind() + ", not a message");
        }
        if (payload().equals("redacted") || value == null || value.length == 0) {
            return Optional.of("its payload was not kept (HELPSTREAM_DEAD_LETTER_PAYLOAD=redact)");
        }
        try {
            message(cipher);
            return Optional.empty();
        } catch (RuntimeException e) {
            return Optional.of("its payload cannot be read: " + e.getClass().getSimpleName());
        }
    }

    /** The message it holds, decrypted with the deployment's keyset when it was encrypted. */
    public CustomerMessage message(ValueCipher cipher) {
        return Topics.CUSTOMER_MESSAGE.decode(plainValue(cipher));
    }

    /** The payload as the input topic had it. */
    byte[] plainValue(ValueCipher cipher) {
        byte[] key = conversationId == null ? null : conversationId.getBytes(StandardCharsets.UTF_8);
        return cipher.open(SealedValues.DEAD_LETTERS, key, value);
    }

    /** The message id, from its redacted header or its payload; empty when neither tells. */
    public Optional<String> messageId(ValueCipher cipher) {
        if (headers.containsKey(DeadLetterPolicy.MESSAGE_ID)) {
            return Optional.of(headers.get(DeadLetterPolicy.MESSAGE_ID));
        }
        try {
            return Optional.of(message(cipher).getMessageId());
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    /**
     * The input partition of the conversation, when the dead letter says (Kafka Streams' handlers name the record's
     * source); empty for those the processor wrote, whose key's default partition it is.
     */
    Optional<Integer> sourcePartition(String inputTopic, String controlTopic) {
        String source = headers.get(SOURCE_TOPIC);
        String partitionHeader = headers.get(SOURCE_PARTITION);
        if (source == null || partitionHeader == null
                || !(source.equals(inputTopic) || source.equals(controlTopic))) {
            return Optional.empty();
        }
        try {
            return Optional.of(Integer.parseInt(partitionHeader));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static String simpleName(String className) {
        return className.substring(className.lastIndexOf('.') + 1);
    }
}
