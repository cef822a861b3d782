package io.helpstream.conversation;

import io.helpstream.contract.Topics;
import io.helpstream.schema.CustomerMessage;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.api.Record;

/**
 * Dead-letter records the conversation processor writes itself, in the task's transaction, with the same headers
 * Kafka Streams' own handlers use ({@code __streams.errors.*}) plus {@code helpstream.record} saying what the bytes
 * are: a {@code customer-message} (as on the input topic), or a record of a conversation store named after its store
 * ({@code conversation-meta}, {@code conversation-pending}, {@code conversation-history}, or {@code conversations}
 * for a version-1 state), as it was stored.
 */
final class DeadLetters {

    static final String EXCEPTION = "__streams.errors.exception";
    static final String MESSAGE = "__streams.errors.message";
    static final String TOPIC = "__streams.errors.topic";
    static final String RECORD = "helpstream.record";

    private final String inputTopic;

    DeadLetters(String inputTopic) {
        this.inputTopic = inputTopic;
    }

    /** The message, encoded as on the input topic, with why it was answered with the apology instead. */
    Record<String, Object> message(CustomerMessage message, String reason, Throwable cause, long now) {
        Headers headers = headers(reason, cause, "customer-message");
        headers.add(TOPIC, inputTopic.getBytes(StandardCharsets.UTF_8));
        return new Record<>(message.getConversationId(), Topics.CUSTOMER_MESSAGE.encode(message), now, headers);
    }

    /** A stored record that could not be read, as it was stored in {@code store}, before it is removed. */
    Record<String, Object> stored(String conversationId, String store, byte[] stored, String reason, Throwable cause,
                                  long now) {
        return new Record<>(conversationId, stored, now, headers(reason, cause, store));
    }

    private static Headers headers(String reason, Throwable cause, String kind) {
        Headers headers = new RecordHeaders();
        headers.add(EXCEPTION, cause.getClass().getName().getBytes(StandardCharsets.UTF_8));
        headers.add(MESSAGE, reason.getBytes(StandardCharsets.UTF_8));
        headers.add(RECORD, kind.getBytes(StandardCharsets.UTF_8));
        return headers;
    }
}
