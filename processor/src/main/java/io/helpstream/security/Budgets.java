package io.helpstream.security;

/**
 * What a message, a conversation and a customer may spend. Past any of them the customer gets a fixed, polite reply
 * written without the model ({@link #REPLY}), and the refusal is audited and counted.
 *
 * @param maxModelCallsPerMessage    model calls one turn may make (the first answer and one per tool round trip)
 * @param maxTokensPerConversation   model tokens (input and output) one conversation's turns may use in all
 * @param maxTokensPerCustomerPerDay model tokens the conversations of one verified customer may use per UTC day,
 *                                   across conversations, partitions and instances (counted in PostgreSQL)
 * @param maxMessagesPerMinute       messages one conversation may send in a minute (a fixed one-minute window)
 */
public record Budgets(int maxModelCallsPerMessage, long maxTokensPerConversation, long maxTokensPerCustomerPerDay,
                      int maxMessagesPerMinute) {

    public static final int DEFAULT_MAX_MODEL_CALLS_PER_MESSAGE = 6;
    public static final long DEFAULT_MAX_TOKENS_PER_CONVERSATION = 200_000;
    public static final long DEFAULT_MAX_TOKENS_PER_CUSTOMER_PER_DAY = 1_000_000;
    public static final int DEFAULT_MAX_MESSAGES_PER_MINUTE = 30;

    /** The same for every budget, so that it tells the customer nothing about which one or about other customers. */
    public static final String REPLY = "I'm sorry, this conversation has reached its limit for now, so I can't "
            + "answer this message. Please try again later, or contact our support team directly.";

    /** What each budget is called in the audit trail and the metrics. */
    public enum Kind {
        MODEL_CALLS_PER_MESSAGE, TOKENS_PER_CONVERSATION, TOKENS_PER_CUSTOMER_PER_DAY, MESSAGES_PER_MINUTE
    }

    public Budgets {
        if (maxModelCallsPerMessage < 1 || maxTokensPerConversation < 1 || maxTokensPerCustomerPerDay < 1
                || maxMessagesPerMinute < 1) {
            throw new IllegalArgumentException("budgets must be >= 1, were " + maxModelCallsPerMessage + ", "
                    + maxTokensPerConversation + ", " + maxTokensPerCustomerPerDay + ", " + maxMessagesPerMinute);
        }
    }

    public static Budgets defaults() {
        return new Budgets(DEFAULT_MAX_MODEL_CALLS_PER_MESSAGE, DEFAULT_MAX_TOKENS_PER_CONVERSATION,
                DEFAULT_MAX_TOKENS_PER_CUSTOMER_PER_DAY, DEFAULT_MAX_MESSAGES_PER_MINUTE);
    }

    public Budgets withMaxModelCallsPerMessage(int calls) {
        return new Budgets(calls, maxTokensPerConversation, maxTokensPerCustomerPerDay, maxMessagesPerMinute);
    }

    public Budgets withMaxTokensPerConversation(long tokens) {
        return new Budgets(maxModelCallsPerMessage, tokens, maxTokensPerCustomerPerDay, maxMessagesPerMinute);
    }

    public Budgets withMaxTokensPerCustomerPerDay(long tokens) {
        return new Budgets(maxModelCallsPerMessage, maxTokensPerConversation, tokens, maxMessagesPerMinute);
    }

    public Budgets withMaxMessagesPerMinute(int messages) {
        return new Budgets(maxModelCallsPerMessage, maxTokensPerConversation, maxTokensPerCustomerPerDay, messages);
    }
}
