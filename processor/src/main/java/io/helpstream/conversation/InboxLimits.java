package io.helpstream.conversation;

/**
 * How much a conversation may have waiting for an answer. A customer who sends faster than the agent answers gets
 * the waiting messages answered together by the next turn, up to {@code maxMessagesPerTurn} at a time; a message past
 * either cap is answered with {@link ConversationProcessor#INBOX_FULL} and dead-lettered with reason
 * {@code INBOX_FULL}, so no conversation can grow without bound.
 *
 * @param maxPendingMessages  unanswered messages a conversation may hold
 * @param maxPendingBytes     encoded bytes of those messages together
 * @param maxMessagesPerTurn  waiting messages one turn answers together (1: one message per turn)
 */
public record InboxLimits(int maxPendingMessages, long maxPendingBytes, int maxMessagesPerTurn) {

    public static final int DEFAULT_MAX_PENDING_MESSAGES = 50;
    public static final long DEFAULT_MAX_PENDING_BYTES = 256 * 1024;
    public static final int DEFAULT_MAX_MESSAGES_PER_TURN = 10;

    public InboxLimits {
        if (maxPendingMessages < 1 || maxPendingBytes < 1 || maxMessagesPerTurn < 1) {
            throw new IllegalArgumentException("inbox limits must be >= 1, were " + maxPendingMessages + " messages, "
                    + maxPendingBytes + " bytes, " + maxMessagesPerTurn + " messages per turn");
        }
    }

    public static InboxLimits defaults() {
        return new InboxLimits(DEFAULT_MAX_PENDING_MESSAGES, DEFAULT_MAX_PENDING_BYTES, DEFAULT_MAX_MESSAGES_PER_TURN);
    }
}
