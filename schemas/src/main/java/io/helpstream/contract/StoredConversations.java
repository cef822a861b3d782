package io.helpstream.contract;

import io.helpstream.schema.ConversationMeta;
import io.helpstream.schema.ConversationState;
import io.helpstream.schema.HistoryTurn;
import io.helpstream.schema.PendingMessage;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.common.errors.SerializationException;

/**
 * Conversations as the processor's changelogs hold them, folded record by record (in each changelog's order) into
 * one {@link ConversationState} view per conversation: its meta, its pending messages as the inbox and its stored
 * history turns. For whoever reads the changelogs from outside: the crash harness, tests, an operator's tool.
 * Encrypted values ({@link SealedValues}) are decrypted with the decryption given (e.g. Tink's {@code Aead::decrypt}
 * of the deployment's keyset); plain ones are read as they are.
 */
public final class StoredConversations {

    private final SealedValues.Decryption decryption;

    private final Map<String, ConversationMeta> meta = new LinkedHashMap<>();
    private final Map<String, TreeMap<Long, PendingMessage>> pending = new HashMap<>();
    private final Map<String, TreeMap<Long, HistoryTurn>> history = new HashMap<>();

    /** For changelogs of a deployment without encryption: an encrypted value fails. */
    public StoredConversations() {
        this(null);
    }

    /** @param decryption decrypts the values of a deployment with encryption (null: none configured) */
    public StoredConversations(SealedValues.Decryption decryption) {
        this.decryption = decryption;
    }

    /** The changelog topics a view needs, as Kafka Streams names them for the application. */
    public static java.util.List<String> changelogs(String applicationId) {
        return java.util.List.of(ConversationStores.changelog(applicationId, ConversationStores.META),
                ConversationStores.changelog(applicationId, ConversationStores.PENDING),
                ConversationStores.changelog(applicationId, ConversationStores.HISTORY));
    }

    /**
     * Takes one changelog record (a null value deletes); records of other topics are ignored.
     *
     * @param topic the changelog topic, one of {@link #changelogs}
     * @throws SerializationException when a value cannot be decrypted or decoded
     */
    public void accept(String topic, byte[] key, byte[] value) {
        if (topic.endsWith("-" + ConversationStores.META + "-changelog")) {
            String id = new String(key, StandardCharsets.UTF_8);
            if (value == null) {
                meta.remove(id);
            } else {
                meta.put(id, Topics.CONVERSATION_META.decode(open(ConversationStores.META, key, value)));
            }
        } else if (topic.endsWith("-" + ConversationStores.PENDING + "-changelog")) {
            fold(pending, key, value == null ? null
                    : Topics.PENDING_MESSAGE.decode(open(ConversationStores.PENDING, key, value)));
        } else if (topic.endsWith("-" + ConversationStores.HISTORY + "-changelog")) {
            fold(history, key, value == null ? null
                    : Topics.HISTORY_TURN.decode(open(ConversationStores.HISTORY, key, value)));
        }
    }

    private byte[] open(String store, byte[] key, byte[] value) {
        try {
            return SealedValues.open(value, store, key, decryption);
        } catch (GeneralSecurityException e) {
            throw new SerializationException("cannot decrypt a record of " + store + ": " + e.getMessage(), e);
        }
    }

    private static <V> void fold(Map<String, TreeMap<Long, V>> entries, byte[] key, V value) {
        String id = ConversationKeys.conversationOf(key);
        long sequence = ConversationKeys.sequenceOf(key);
        if (value == null) {
            TreeMap<Long, V> of = entries.get(id);
            if (of != null) {
                of.remove(sequence);
            }
        } else {
            entries.computeIfAbsent(id, k -> new TreeMap<>()).put(sequence, value);
        }
    }

    /** Every conversation with a meta record, as a view. */
    public Map<String, ConversationState> conversations() {
        Map<String, ConversationState> views = new LinkedHashMap<>();
        meta.forEach((id, conversation) -> {
            TreeMap<Long, PendingMessage> inbox = pending.getOrDefault(id, new TreeMap<>());
            views.put(id, ConversationState.newBuilder()
                    .setConversationId(id)
                    .setCustomer(conversation.getCustomer())
                    .setCreatedAt(conversation.getCreatedAt())
                    .setLastActivityAt(conversation.getLastActivityAt())
                    .setHistory(new ArrayList<>(history.getOrDefault(id, new TreeMap<>()).values()))
                    .setContext(conversation.getContext())
                    .setInbox(new ArrayList<>(inbox.values().stream().map(PendingMessage::getMessage).toList()))
                    .setInboxReceivedAt(new ArrayList<>(inbox.values().stream()
                            .map(message -> message.getReceivedAt().toEpochMilli()).toList()))
                    .setRecentMessageIds(new ArrayList<>())
                    .setMessageCount(conversation.getMessageCount())
                    .setTurnCount(conversation.getTurnCount())
                    .build());
        });
        return views;
    }
}
