package io.helpstream.conversation;

import io.helpstream.protection.Redaction;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An input record that cannot be read (not Avro single-object encoded, an unknown schema, a malformed datum) goes to
 * the dead-letter topic with the reason in headers, its payload as the dead-letter policy says, and the partition
 * moves on.
 */
public final class UnreadableRecordHandler implements DeserializationExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(UnreadableRecordHandler.class);

    private final HandlerConfig config = new HandlerConfig();

    @Override
    public void configure(Map<String, ?> configs) {
        config.configure(configs);
    }

    @Override
    public Response handleError(ErrorHandlerContext context, ConsumerRecord<byte[], byte[]> record,
                                Exception exception) {
        log.warn("The record at {} partition {} offset {} cannot be read (task {}): {}; dead-lettering it",
                context.topic(), context.partition(), context.offset(), context.taskId(),
                Redaction.describe(exception));
        return Response.resume(config.deadLetterTopic() == null ? List.of()
                : List.of(DeadLetters.ofInput(config.deadLetterTopic(), context, exception, null, config.policy(),
                        config.meters())));
    }
}
