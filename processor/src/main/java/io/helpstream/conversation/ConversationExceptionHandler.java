package io.helpstream.conversation;

import io.helpstream.protection.Redaction;
import io.helpstream.schema.CustomerMessage;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProcessingExceptionHandler;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a failure inside the topology does, by where it happened:
 *
 * <ul>
 *   <li>while processing a record ({@code validate}, the conversation processor's {@code process}, or a sink it
 *       forwarded to from there): the record goes to the dead-letter topic with the reason in headers (its payload as
 *       the dead-letter policy says, see {@link DeadLetters#ofInput}) and the partition moves on. {@code process}
 *       writes its state last, so a failure there leaves nothing half done.</li>
 *   <li>in a punctuation (applying finished turns, the expiry scan), which has no source record: the task fails, so
 *       the transaction aborts and nothing of a half-applied turn is committed. The conversation processor counts
 *       such failures per message and, past {@link ApplyFailures#ALLOWED}, answers that message
 *       with the apology and dead-letters it instead of applying it again.</li>
 * </ul>
 */
public final class ConversationExceptionHandler implements ProcessingExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ConversationExceptionHandler.class);

    /** The streams config key under which the handlers get the registry they count dead letters in. */
    public static final String METERS = HandlerConfig.METERS;

    private final HandlerConfig config = new HandlerConfig();

    @Override
    public void configure(Map<String, ?> configs) {
        config.configure(configs);
    }

    @Override
    public Response handleError(ErrorHandlerContext context, Record<?, ?> record, Exception exception) {
        if (context.topic() == null && context.offset() < 0) {
            log.error("A punctuation of processor {} in task {} failed: failing the task so that its transaction "
                    + "aborts", context.processorNodeId(), context.taskId(), exception);
            return Response.fail();
        }
        log.warn("The record at {} partition {} offset {} could not be processed by {} (task {}): {}; "
                + "dead-lettering it", context.topic(), context.partition(), context.offset(),
                context.processorNodeId(), context.taskId(), Redaction.describe(exception));
        String messageId = record != null && record.value() instanceof CustomerMessage message
                ? message.getMessageId() : null;
        return Response.resume(config.deadLetterTopic() == null ? List.of()
                : List.of(DeadLetters.ofInput(config.deadLetterTopic(), context, exception, messageId,
                        config.policy(), config.meters())));
    }
}
