package io.helpstream.turn;

import java.util.Optional;
import org.slf4j.MDC;

/**
 * What every log line of a turn carries, on whichever thread logs it (the turn's, the stream thread applying it): the
 * conversation, the message that names the turn and the trace id, in the logging context (MDC) as
 * {@value #CONVERSATION_ID}, {@value #MESSAGE_ID} and {@value #TRACE_ID}. Closing removes them.
 */
public final class TurnLogContext implements AutoCloseable {

    public static final String CONVERSATION_ID = "conversationId";
    public static final String MESSAGE_ID = "messageId";
    public static final String TRACE_ID = "traceId";

    private TurnLogContext() {
    }

    public static TurnLogContext of(TurnRequest request, Optional<String> traceId) {
        MDC.put(CONVERSATION_ID, request.conversationId());
        MDC.put(MESSAGE_ID, request.messageId());
        traceId.ifPresent(id -> MDC.put(TRACE_ID, id));
        return new TurnLogContext();
    }

    @Override
    public void close() {
        MDC.remove(CONVERSATION_ID);
        MDC.remove(MESSAGE_ID);
        MDC.remove(TRACE_ID);
    }
}
