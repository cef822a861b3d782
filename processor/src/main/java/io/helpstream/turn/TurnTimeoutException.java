package io.helpstream.turn;

import java.time.Duration;

/** A turn ran past its deadline: it is failed like any other failed attempt, and its thread is interrupted. */
public final class TurnTimeoutException extends Exception {

    public TurnTimeoutException(TurnRequest request, Duration deadline) {
        super("turn for message " + request.messageId() + " of conversation " + request.conversationId()
                + " ran past its deadline of " + deadline);
    }
}
