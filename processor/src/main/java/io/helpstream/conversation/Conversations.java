package io.helpstream.conversation;

import io.helpstream.contract.SafeText;
import io.helpstream.schema.ConversationEnded;
import io.helpstream.schema.ConversationMeta;
import io.helpstream.schema.ConversationState;
import io.helpstream.schema.CustomerBinding;
import io.helpstream.schema.EndCause;
import io.helpstream.schema.EndReason;
import io.helpstream.schema.HistoryTurn;
import io.helpstream.turn.TurnOutcome;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;

/**
 * The rules of a conversation, as pure functions over its stored records: accepting a message, applying a finished
 * turn, ending an idle conversation, the view a turn is given. The stream thread is the only caller.
 */
final class Conversations {

    private Conversations() {
    }

    static ConversationMeta start(String conversationId, long now) {
        return ConversationMeta.newBuilder()
                .setConversationId(conversationId)
                .setCustomer(null)
                .setCreatedAt(Instant.ofEpochMilli(now))
                .setLastActivityAt(Instant.ofEpochMilli(now))
                .setContext(new HashMap<>())
                .build();
    }

    /** True when one more message of {@code bytes} would pass either of the inbox's caps. */
    static boolean inboxFull(ConversationMeta conversation, int bytes, InboxLimits limits) {
        return conversation.getPendingCount() >= limits.maxPendingMessages()
                || conversation.getPendingBytes() + bytes > limits.maxPendingBytes();
    }

    /** Counts a message accepted into the inbox under {@code sequence}; returns that sequence number. */
    static long accept(ConversationMeta conversation, int bytes, long now) {
        long sequence = conversation.getNextPending();
        if (conversation.getPendingCount() == 0) {
            conversation.setFirstPending(sequence);
        }
        conversation.setNextPending(sequence + 1);
        conversation.setPendingCount(conversation.getPendingCount() + 1);
        conversation.setPendingBytes(conversation.getPendingBytes() + bytes);
        conversation.setMessageCount(conversation.getMessageCount() + 1);
        conversation.setLastActivityAt(Instant.ofEpochMilli(now));
        return sequence;
    }

    /**
     * Applies a finished turn that answered the first {@code answered} pending messages: they leave the inbox, the
     * turn joins the history, context and customer are learnt.
     *
     * @return the history turn to store under the conversation's new turn count
     */
    static HistoryTurn complete(ConversationMeta conversation, List<ConversationStore.Pending> answered,
                                TurnOutcome outcome, String userText, long now) {
        ConversationStore.Pending first = answered.get(0);
        ConversationStore.Pending last = answered.get(answered.size() - 1);
        HistoryTurn turn = HistoryTurn.newBuilder()
                .setMessageId(first.message().getMessage().getMessageId())
                .setAnsweredMessageIds(answered.size() == 1 ? new ArrayList<>()
                        : answered.stream().map(pending -> pending.message().getMessage().getMessageId()).toList())
                .setUserText(userText)
                .setReceivedAt(first.message().getReceivedAt())
                .setToolCalls(new ArrayList<>(outcome.toolCalls()))
                .setReplyText(SafeText.clean(outcome.replyText()))
                .setRepliedAt(Instant.ofEpochMilli(now))
                .build();
        conversation.setFirstPending(last.sequence() + 1);
        conversation.setPendingCount(conversation.getPendingCount() - answered.size());
        conversation.setPendingBytes(Math.max(0, conversation.getPendingBytes()
                - answered.stream().mapToLong(ConversationStore.Pending::bytes).sum()));
        // Who the conversation is with is IdentityRules' to change.
        conversation.getContext().putAll(outcome.contextUpdates());
        conversation.setTurnCount(conversation.getTurnCount() + 1);
        conversation.setLastActivityAt(Instant.ofEpochMilli(now));
        return turn;
    }

    /** When the conversation may end if nothing happens in it. */
    static long idleDeadline(ConversationMeta conversation, Duration timeout) {
        return conversation.getLastActivityAt().toEpochMilli() + timeout.toMillis();
    }

    static boolean idle(ConversationMeta conversation, long now, Duration timeout) {
        return conversation.getPendingCount() == 0 && now >= idleDeadline(conversation, timeout);
    }

    static ConversationEnded ended(ConversationMeta conversation, long now) {
        return ended(conversation, now, EndCause.IDLE_TIMEOUT, null);
    }

    /** The record of a conversation that ended for {@code cause}; {@code agentId}: the human who ended it, or null. */
    static ConversationEnded ended(ConversationMeta conversation, long now, EndCause cause, String agentId) {
        CustomerBinding customer = conversation.getCustomer();
        return ConversationEnded.newBuilder()
                .setConversationId(conversation.getConversationId())
                .setCustomerId(customer == null ? null : customer.getCustomerId())
                .setReason(EndReason.IDLE_TIMEOUT)
                .setStartedAt(conversation.getCreatedAt())
                .setLastActivityAt(conversation.getLastActivityAt())
                .setEndedAt(Instant.ofEpochMilli(now))
                .setMessageCount(conversation.getMessageCount())
                .setTurnCount(conversation.getTurnCount())
                .setCause(cause)
                .setAgentId(agentId)
                .build();
    }

    /**
     * The conversation as a turn sees it, a private copy: who, what was said (the history window), what is remembered
     * and the messages the turn answers.
     */
    static ConversationState view(ConversationMeta conversation, List<HistoryTurn> history,
                                  List<ConversationStore.Pending> answering) {
        ConversationMeta copy = ConversationMeta.newBuilder(conversation).build();
        return ConversationState.newBuilder()
                .setConversationId(copy.getConversationId())
                .setCustomer(copy.getCustomer())
                .setCreatedAt(copy.getCreatedAt())
                .setLastActivityAt(copy.getLastActivityAt())
                .setHistory(new ArrayList<>(history))
                .setContext(copy.getContext())
                .setInbox(new ArrayList<>(answering.stream().map(pending -> pending.message().getMessage()).toList()))
                .setInboxReceivedAt(new ArrayList<>(answering.stream()
                        .map(pending -> pending.message().getReceivedAt().toEpochMilli()).toList()))
                .setRecentMessageIds(new ArrayList<>())
                .setMessageCount(copy.getMessageCount())
                .setTurnCount(copy.getTurnCount())
                .setVerification(copy.getVerification())
                .build();
    }
}
