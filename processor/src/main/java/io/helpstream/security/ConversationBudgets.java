package io.helpstream.security;

import io.helpstream.schema.ConversationMeta;
import io.helpstream.schema.ConversationMode;
import java.time.Duration;
import java.util.Optional;

/**
 * The budgets the stream thread checks when a message arrives, over the conversation's stored meta: its tokens so
 * far, and its messages in the current one-minute window. A message over either is answered with
 * {@link Budgets#REPLY} and never reaches the model.
 */
public final class ConversationBudgets {

    static final Duration WINDOW = Duration.ofMinutes(1);

    private ConversationBudgets() {
    }

    /**
     * The budget a new message at {@code now} would pass, or empty; when empty the message is counted in the
     * conversation's window (the caller stores the meta with the message). A conversation handed off to a human
     * spends no model tokens: only the messages per minute hold its messages back.
     */
    public static Optional<Budgets.Kind> admit(ConversationMeta conversation, long now, Budgets budgets) {
        if (conversation.getMode() == ConversationMode.BOT
                && conversation.getTokensUsed() >= budgets.maxTokensPerConversation()) {
            return Optional.of(Budgets.Kind.TOKENS_PER_CONVERSATION);
        }
        if (now - conversation.getRateWindowStartedAt() >= WINDOW.toMillis()
                || now < conversation.getRateWindowStartedAt()) {
            conversation.setRateWindowStartedAt(now);
            conversation.setRateWindowMessages(0);
        }
        if (conversation.getRateWindowMessages() >= budgets.maxMessagesPerMinute()) {
            return Optional.of(Budgets.Kind.MESSAGES_PER_MINUTE);
        }
        conversation.setRateWindowMessages(conversation.getRateWindowMessages() + 1);
        return Optional.empty();
    }

    /** Counts a turn's tokens against the conversation's budget. */
    public static void spent(ConversationMeta conversation, long tokens) {
        conversation.setTokensUsed(conversation.getTokensUsed() + Math.max(0, tokens));
    }
}
