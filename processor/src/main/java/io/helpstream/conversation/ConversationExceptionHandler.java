package io.helpstream.conversation;

import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.LogAndContinueProcessingExceptionHandler;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a failure inside the topology does, by where it happened:
 *
 * <ul>
 *   <li>while processing a record ({@code validate}, the conversation processor's {@code process}, or a sink it
 *       forwarded to from there): the record is copied to the dead-letter topic with the reason in headers and the
 *       partition moves on. {@code process} writes its state last, so a failure there leaves nothing half done.</li>
 *   <li>in a punctuation (applying finished turns, the expiry scan), which has no source record: the task fails, so
 *       the transaction aborts and nothing of a half-applied turn is committed. The conversation processor counts
 *       such failures per message and, past {@link ApplyFailures#ALLOWED}, answers that message
 *       with the apology and dead-letters it instead of applying it again.</li>
 * </ul>
 */
public final class ConversationExceptionHandler extends LogAndContinueProcessingExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ConversationExceptionHandler.class);

    @Override
    public Response handleError(ErrorHandlerContext context, Record<?, ?> record, Exception exception) {
        if (context.topic() == null && context.offset() < 0) {
            log.error("A punctuation of processor {} in task {} failed: failing the task so that its transaction "
                    + "aborts", context.processorNodeId(), context.taskId(), exception);
            return Response.fail();
        }
        return super.handleError(context, record, exception);
    }
}
