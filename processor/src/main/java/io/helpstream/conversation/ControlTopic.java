package io.helpstream.conversation;

import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.Optional;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * The topic through which operators' commands reach the conversations' tasks, {@code <application id>-control}:
 * helpstream's own, created with the other topics at start-up with as many partitions as the input topic, keyed by
 * conversation id, so that a command is processed on the stream thread of the task that owns its conversation, in the
 * same transaction as what it changes. Only helpstream's commands ({@code dlq replay}, {@code forget}) write to it; a
 * gateway, which writes to the input topic, cannot send one (give it no write access to this topic).
 *
 * <p>Each record names its command in the {@value #COMMAND} header:
 * <ul>
 *   <li>{@value #REPLAY}: the value is a dead-lettered {@code CustomerMessage}, as on the input topic, and
 *       {@value #REPLAY_OF} says which dead letter ({@code <topic>/<partition>/<offset>}); it is answered as a new
 *       message once per dead letter, even though its id was accepted before.</li>
 *   <li>{@value #ERASE}: the conversation of the key is removed from every store; {@value #ERASURE} names the
 *       request. The value is empty.</li>
 * </ul>
 *
 * @param name the topic, or empty for a topology without one (tests that need none)
 */
public record ControlTopic(Optional<String> name) {

    public static final String COMMAND = "helpstream.command";
    public static final String REPLAY = "replay";
    public static final String ERASE = "erase";
    public static final String REPLAY_OF = "helpstream.replay-of";
    public static final String ERASURE = "helpstream.erasure";
    /** The action of the audit records of an erasure (category {@code IDENTITY}: the customer leaves the records). */
    public static final String ERASED = "ERASED";

    public ControlTopic {
        Objects.requireNonNull(name, "name");
    }

    /** The control topic of an application. */
    public static ControlTopic of(String applicationId) {
        return new ControlTopic(Optional.of(applicationId + "-control"));
    }

    /** No control topic. */
    public static ControlTopic none() {
        return new ControlTopic(Optional.empty());
    }

    /** The compacted topic where {@code dlq replay} records each dead letter it replayed. */
    public static String replayLedger(String applicationId) {
        return applicationId + "-dead-letter-replays";
    }

    /** A replay of a dead-lettered message to the conversation's partition (null: the key's default partition). */
    public ProducerRecord<String, byte[]> replay(Integer partition, String conversationId, byte[] message,
                                                 String deadLetter) {
        ProducerRecord<String, byte[]> record = new ProducerRecord<>(required(), partition, conversationId, message);
        record.headers().add(COMMAND, utf8(REPLAY)).add(REPLAY_OF, utf8(deadLetter));
        return record;
    }

    /** The removal of a conversation from the stores of the task on {@code partition}. */
    public ProducerRecord<String, byte[]> erase(int partition, String conversationId, String erasure) {
        ProducerRecord<String, byte[]> record = new ProducerRecord<>(required(), partition, conversationId,
                new byte[0]);
        record.headers().add(COMMAND, utf8(ERASE)).add(ERASURE, utf8(erasure));
        return record;
    }

    /** The value of a header of a control record, if it has it. */
    static Optional<String> header(Headers headers, String name) {
        Header header = headers.lastHeader(name);
        return header == null || header.value() == null ? Optional.empty()
                : Optional.of(new String(header.value(), StandardCharsets.UTF_8));
    }

    private String required() {
        return name.orElseThrow(() -> new IllegalStateException("this topology has no control topic"));
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
