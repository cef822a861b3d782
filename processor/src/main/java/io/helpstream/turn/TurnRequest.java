package io.helpstream.turn;

import io.helpstream.schema.ConversationState;
import io.helpstream.schema.CustomerMessage;
import java.util.Objects;

/**
 * One turn to run: the message to answer and a private copy of the conversation as it stood when the turn started.
 * The copy belongs to the turn; the stream thread keeps its own.
 *
 * @param attempt 1 for the first try of this message, more after a failed turn was retried
 * @param resumed true when the turn was restarted after its task was restored (a crash, a rebalance): an attempt
 *                this process never saw may already have run tools for the message
 */
public record TurnRequest(CustomerMessage message, ConversationState conversation, int attempt, boolean resumed) {

    public TurnRequest(CustomerMessage message, ConversationState conversation, int attempt) {
        this(message, conversation, attempt, false);
    }

    public TurnRequest {
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(conversation, "conversation");
        if (attempt < 1) {
            throw new IllegalArgumentException("attempt must be >= 1, was " + attempt);
        }
    }

    public String conversationId() {
        return message.getConversationId();
    }

    public String messageId() {
        return message.getMessageId();
    }

    /** True when another attempt at this message may have run before this one (and written something). */
    public boolean mayFollowAnotherAttempt() {
        return attempt > 1 || resumed;
    }
}
