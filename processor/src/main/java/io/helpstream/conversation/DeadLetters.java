package io.helpstream.conversation;

import io.helpstream.contract.Topics;
import io.helpstream.protection.DeadLetterPolicy;
import io.helpstream.protection.Redaction;
import io.helpstream.schema.CustomerMessage;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * Every dead letter helpstream writes, with the same headers Kafka Streams' own handlers use
 * ({@code __streams.errors.*}) plus {@code helpstream.record} saying what the bytes are: a {@code customer-message}
 * (as on the input topic), or a record of a conversation store named after its store ({@code conversation-meta},
 * {@code conversation-pending}, {@code conversation-history}, or {@code conversations} for a version-1 state), as it
 * was stored. The payload is kept, encrypted or left out as the {@link DeadLetterPolicy} says; the reason and the
 * stack trace name ids, sizes and codes, never what the customer wrote ({@link Redaction}). Each carries its code
 * ({@value #REASON}: an {@link InvalidMessageException.Reason} or a {@link DeadLetterReason}) and is counted under it
 * in {@value #METER}.
 */
final class DeadLetters {

    static final String EXCEPTION = "__streams.errors.exception";
    static final String MESSAGE = "__streams.errors.message";
    static final String STACKTRACE = "__streams.errors.stacktrace";
    static final String TOPIC = "__streams.errors.topic";
    static final String PARTITION = "__streams.errors.partition";
    static final String OFFSET = "__streams.errors.offset";
    static final String RECORD = "helpstream.record";
    static final String CUSTOMER_MESSAGE = "customer-message";
    /** The kind of a dead-lettered agent action: never replayed as a customer message. */
    static final String AGENT_ACTION = "agent-action";
    /** The header with the dead letter's code. */
    public static final String REASON = "helpstream.reason";
    /** Dead letters written, by code. */
    public static final String METER = "helpstream.dead.letters";

    private final String inputTopic;
    private final DeadLetterPolicy policy;
    private final MeterRegistry meters;

    DeadLetters(String inputTopic, DeadLetterPolicy policy, MeterRegistry meters) {
        this.inputTopic = inputTopic;
        this.policy = policy;
        this.meters = meters;
    }

    /** The message, encoded as on the input topic, with why it was answered with the apology instead. */
    Record<String, Object> message(CustomerMessage message, String code, String reason, Throwable cause, long now) {
        Headers headers = headers(code, reason, cause, CUSTOMER_MESSAGE);
        count(meters, code);
        headers.add(TOPIC, utf8(inputTopic));
        String id = message.getConversationId();
        return new Record<>(id, policy.apply(utf8(id), Topics.CUSTOMER_MESSAGE.encode(message),
                message.getMessageId(), headers), now, headers);
    }

    /** A stored record that could not be read, as it was stored in {@code store}, before it is removed. */
    Record<String, Object> stored(String conversationId, String store, byte[] stored, String reason, Throwable cause,
                                  long now) {
        String code = DeadLetterReason.UNREADABLE_STATE.name();
        Headers headers = headers(code, reason, cause, store);
        count(meters, code);
        return new Record<>(conversationId, policy.apply(utf8(conversationId), stored, null, headers), now, headers);
    }

    /**
     * The dead letter of an input record Kafka Streams handed to an exception handler (unreadable, or refused while
     * processed): its key and value as they arrived, its own headers, and where it came from.
     *
     * @param messageId the message's id when the record could be read, else null
     * @param meters    where it is counted (null: nowhere)
     */
    static ProducerRecord<byte[], byte[]> ofInput(String deadLetterTopic, ErrorHandlerContext context,
                                                  Exception exception, String messageId, DeadLetterPolicy policy,
                                                  MeterRegistry meters) {
        Headers headers = new RecordHeaders();
        for (Header header : context.headers()) {
            headers.add(header);
        }
        String code = DeadLetterReason.codeOf(exception);
        headers.remove(REASON);
        headers.add(REASON, utf8(code));
        count(meters, code);
        headers.add(EXCEPTION, utf8(exception.getClass().getName()));
        String reason = Redaction.message(exception);
        headers.add(MESSAGE, reason == null ? null : utf8(reason));
        headers.add(STACKTRACE, utf8(Redaction.stackTrace(exception)));
        headers.add(TOPIC, context.topic() == null ? null : utf8(context.topic()));
        headers.add(PARTITION, utf8(String.valueOf(context.partition())));
        headers.add(OFFSET, utf8(String.valueOf(context.offset())));
        // The agent actions' nodes are named after their topic (see ConversationTopology).
        boolean action = context.processorNodeId() != null
                && context.processorNodeId().startsWith(ConversationTopology.AGENT_ACTIONS);
        headers.add(RECORD, utf8(action ? AGENT_ACTION : CUSTOMER_MESSAGE));
        byte[] key = context.sourceRawKey();
        byte[] value = policy.apply(key, context.sourceRawValue(), messageId, headers);
        return new ProducerRecord<>(deadLetterTopic, null, context.timestamp(), key, value, headers);
    }

    private static Headers headers(String code, String reason, Throwable cause, String kind) {
        Headers headers = new RecordHeaders();
        headers.add(REASON, utf8(code));
        headers.add(EXCEPTION, utf8(cause.getClass().getName()));
        headers.add(MESSAGE, utf8(reason));
        headers.add(RECORD, utf8(kind));
        return headers;
    }

    private static void count(MeterRegistry meters, String code) {
        if (meters != null) {
            Counter.builder(METER).description("Records written to the dead-letter topic, by reason")
                    .tag("reason", code).register(meters).increment();
        }
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
