package io.helpstream.conversation;

import io.helpstream.contract.ConversationStores;
import io.helpstream.contract.Topics;
import io.helpstream.protection.ValueCipher;
import io.helpstream.schema.ConversationMeta;
import io.helpstream.schema.ConversationState;
import java.util.Objects;
import java.util.Optional;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * A conversation as this instance's stores hold it, read with Kafka Streams' interactive queries and decoded as the
 * processor decodes it (decrypted with the deployment's keyset): its meta, its pending messages and its history
 * window. {@link #ownerOf} says which instance holds it, for a caller that forwards the question there.
 */
public final class ConversationQueries {

    private final KafkaStreams streams;
    private final ValueCipher cipher;
    private final int historyWindow;

    public ConversationQueries(KafkaStreams streams, ValueCipher cipher, int historyWindow) {
        this.streams = Objects.requireNonNull(streams, "streams");
        this.cipher = Objects.requireNonNull(cipher, "cipher");
        this.historyWindow = historyWindow;
    }

    /**
     * Where the conversation's partition is active: {@link KeyQueryMetadata#NOT_AVAILABLE} while Kafka Streams is
     * not running (starting, rebalancing) or nobody advertises an {@code application.server}.
     */
    public KeyQueryMetadata ownerOf(String conversationId) {
        return streams.queryMetadataForKey(ConversationStores.META, conversationId, Topics.KEY.serializer());
    }

    /**
     * The conversation from this instance's stores; empty when they hold no such conversation.
     *
     * @param partition the conversation's partition when known (else -1: every local partition is asked)
     * @throws org.apache.kafka.streams.errors.InvalidStateStoreException while the stores cannot be queried (the
     *                                                                    instance is starting or rebalancing)
     * @throws RuntimeException when a stored record cannot be read
     */
    public Optional<ConversationState> read(String conversationId, int partition) {
        ReadOnlyKeyValueStore<String, byte[]> meta = store(ConversationStores.META, partition);
        ConversationStore.Loaded loaded = ConversationStore.load(meta, cipher, conversationId);
        if (loaded.unreadable() != null) {
            throw loaded.unreadable().error();
        }
        ConversationMeta conversation = loaded.meta();
        if (conversation == null) {
            return Optional.empty();
        }
        ReadOnlyKeyValueStore<Bytes, byte[]> pending = store(ConversationStores.PENDING, partition);
        ReadOnlyKeyValueStore<Bytes, byte[]> history = store(ConversationStores.HISTORY, partition);
        return Optional.of(Conversations.view(conversation,
                ConversationStore.history(history, cipher, conversation, historyWindow).turns(),
                ConversationStore.pending(pending, cipher, conversation, Integer.MAX_VALUE, Long.MAX_VALUE)
                        .messages()));
    }

    private <K> ReadOnlyKeyValueStore<K, byte[]> store(String name, int partition) {
        StoreQueryParameters<ReadOnlyKeyValueStore<K, byte[]>> parameters = StoreQueryParameters
                .fromNameAndType(name, QueryableStoreTypes.keyValueStore());
        return streams.store(partition >= 0 ? parameters.withPartition(partition) : parameters);
    }
}
