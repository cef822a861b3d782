package io.helpstream.conversation;

import io.helpstream.contract.Topics;
import io.helpstream.schema.ConversationMeta;
import io.helpstream.schema.ConversationState;
import io.helpstream.schema.CustomerBinding;
import io.helpstream.schema.HistoryTurn;
import io.helpstream.schema.PendingMessage;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * How a conversation of the version-1 store (one {@link ConversationState} record) becomes records of the split
 * stores: its meta, its inbox as pending messages numbered from 0, and its history window as turns numbered so that
 * the newest is its turn count. Its remembered message ids are kept by the caller in the message-id store.
 */
final class Migration {

    private Migration() {
    }

    record Split(ConversationMeta meta, Map<Long, PendingMessage> pending, Map<Long, HistoryTurn> history) {
    }

    static Split split(ConversationState old, int historyWindow) {
        Map<Long, PendingMessage> pending = new TreeMap<>();
        long pendingBytes = 0;
        for (int i = 0; i < old.getInbox().size(); i++) {
            long receivedAt = i < old.getInboxReceivedAt().size() ? old.getInboxReceivedAt().get(i)
                    : old.getLastActivityAt().toEpochMilli();
            PendingMessage message = new PendingMessage(old.getInbox().get(i), Instant.ofEpochMilli(receivedAt), null,
                    null);
            pending.put((long) i, message);
            pendingBytes += Topics.PENDING_MESSAGE.encode(message).length;
        }
        List<HistoryTurn> turns = old.getHistory();
        List<HistoryTurn> kept = turns.subList(Math.max(0, turns.size() - historyWindow), turns.size());
        int turnCount = Math.max(old.getTurnCount(), turns.size());
        Map<Long, HistoryTurn> history = new TreeMap<>();
        for (int i = 0; i < kept.size(); i++) {
            history.put((long) turnCount - kept.size() + 1 + i, kept.get(i));
        }
        CustomerBinding customer = old.getCustomer();
        ConversationMeta meta = ConversationMeta.newBuilder()
                .setConversationId(old.getConversationId())
                .setCustomer(customer == null ? null : CustomerBinding.newBuilder(customer).build())
                .setCreatedAt(old.getCreatedAt())
                .setLastActivityAt(old.getLastActivityAt())
                .setContext(new HashMap<>(old.getContext()))
                .setMessageCount(old.getMessageCount())
                .setTurnCount(turnCount)
                .setFirstPending(0)
                .setNextPending(pending.size())
                .setPendingCount(pending.size())
                .setPendingBytes(pendingBytes)
                .build();
        return new Split(meta, pending, history);
    }
}
