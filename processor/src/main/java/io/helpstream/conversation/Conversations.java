package io.helpstream.conversation;

import io.helpstream.conversation.InvalidMessageException.Reason;
import io.helpstream.schema.ConversationEnded;
import io.helpstream.schema.ConversationState;
import io.helpstream.schema.CustomerBinding;
import io.helpstream.schema.CustomerMessage;
import io.helpstream.schema.EndReason;
import io.helpstream.schema.HistoryTurn;
import io.helpstream.turn.TurnOutcome;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;

/**
 * The rules of a conversation's state, as pure functions over the stored {@link ConversationState}: accepting a
 * message, applying a finished turn, ending an idle conversation. The stream thread is the only caller.
 */
final class Conversations {

    private Conversations() {
    }

    static ConversationState start(String conversationId, long now) {
        return ConversationState.newBuilder()
                .setConversationId(conversationId)
                .setCustomer(null)
                .setCreatedAt(java.time.Instant.ofEpochMilli(now))
                .setLastActivityAt(java.time.Instant.ofEpochMilli(now))
                .setHistory(new ArrayList<>())
                .setContext(new HashMap<>())
                .setInbox(new ArrayList<>())
                .setInboxReceivedAt(new ArrayList<>())
                .setRecentMessageIds(new ArrayList<>())
                .build();
    }

    static boolean alreadySeen(ConversationState state, String messageId) {
        return state.getRecentMessageIds().contains(messageId);
    }

    /**
     * Puts the message in the inbox and remembers its id. A gateway-asserted email binds an anonymous conversation
     * to that customer; a conversation already bound to someone else refuses the message.
     */
    static void accept(ConversationState state, CustomerMessage message, long now, int recentIdsKept) {
        bindGatewayIdentity(state, message);
        state.getInbox().add(message);
        state.getInboxReceivedAt().add(now);
        List<String> recent = state.getRecentMessageIds();
        recent.add(message.getMessageId());
        if (recent.size() > recentIdsKept) {
            recent.subList(0, recent.size() - recentIdsKept).clear();
        }
        state.setMessageCount(state.getMessageCount() + 1);
        state.setLastActivityAt(java.time.Instant.ofEpochMilli(now));
    }

    private static void bindGatewayIdentity(ConversationState state, CustomerMessage message) {
        if (message.getCustomerEmail() == null) {
            return;
        }
        String asserted = message.getCustomerEmail().trim().toLowerCase(Locale.ROOT);
        CustomerBinding bound = state.getCustomer();
        if (bound == null) {
            state.setCustomer(new CustomerBinding(asserted, null, null, true));
        } else if (!bound.getEmail().equalsIgnoreCase(asserted)) {
            throw new InvalidMessageException(Reason.IDENTITY_MISMATCH,
                    "conversation " + state.getConversationId() + " belongs to another customer");
        } else if (!bound.getVerified()) {
            bound.setVerified(true);
        }
    }

    /** The oldest unanswered message, or null. */
    static CustomerMessage head(ConversationState state) {
        return state.getInbox().isEmpty() ? null : state.getInbox().get(0);
    }

    static long headReceivedAt(ConversationState state) {
        return state.getInboxReceivedAt().isEmpty() ? 0L : state.getInboxReceivedAt().get(0);
    }

    /** Applies a finished turn that answered the inbox's head: history, context, customer, inbox popped. */
    static void complete(ConversationState state, TurnOutcome outcome, long now, int historyWindow) {
        CustomerMessage answered = state.getInbox().remove(0);
        long receivedAt = state.getInboxReceivedAt().isEmpty() ? now : state.getInboxReceivedAt().remove(0);
        List<HistoryTurn> history = state.getHistory();
        history.add(HistoryTurn.newBuilder()
                .setMessageId(answered.getMessageId())
                .setUserText(answered.getText())
                .setReceivedAt(java.time.Instant.ofEpochMilli(receivedAt))
                .setToolCalls(new ArrayList<>(outcome.toolCalls()))
                .setReplyText(outcome.replyText())
                .setRepliedAt(java.time.Instant.ofEpochMilli(now))
                .build());
        if (history.size() > historyWindow) {
            history.subList(0, history.size() - historyWindow).clear();
        }
        state.getContext().putAll(outcome.contextUpdates());
        learnCustomer(state, outcome.customer());
        state.setTurnCount(state.getTurnCount() + 1);
        state.setLastActivityAt(java.time.Instant.ofEpochMilli(now));
    }

    private static void learnCustomer(ConversationState state, CustomerBinding learned) {
        if (learned == null) {
            return;
        }
        CustomerBinding bound = state.getCustomer();
        if (bound == null) {
            state.setCustomer(CustomerBinding.newBuilder(learned).build());
        } else if (bound.getEmail().equalsIgnoreCase(learned.getEmail())) {
            // The turn found the customer record of the bound email: keep the stronger verification.
            bound.setCustomerId(learned.getCustomerId() != null ? learned.getCustomerId() : bound.getCustomerId());
            bound.setName(learned.getName() != null ? learned.getName() : bound.getName());
        }
    }

    static boolean idle(ConversationState state, long now, Duration timeout) {
        return state.getInbox().isEmpty()
                && now - state.getLastActivityAt().toEpochMilli() >= timeout.toMillis();
    }

    static ConversationEnded ended(ConversationState state, long now) {
        CustomerBinding customer = state.getCustomer();
        return ConversationEnded.newBuilder()
                .setConversationId(state.getConversationId())
                .setCustomerId(customer == null ? null : customer.getCustomerId())
                .setReason(EndReason.IDLE_TIMEOUT)
                .setStartedAt(state.getCreatedAt())
                .setLastActivityAt(state.getLastActivityAt())
                .setEndedAt(java.time.Instant.ofEpochMilli(now))
                .setMessageCount(state.getMessageCount())
                .setTurnCount(state.getTurnCount())
                .build();
    }

    /** A deep copy a turn may read while the stream thread goes on changing the stored state. */
    static ConversationState snapshot(ConversationState state) {
        return ConversationState.newBuilder(state).build();
    }
}
