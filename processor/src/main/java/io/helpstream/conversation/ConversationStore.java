package io.helpstream.conversation;

import io.helpstream.contract.Topics;
import io.helpstream.schema.ConversationState;
import java.util.function.BiConsumer;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The conversation store, kept as encoded bytes so that a record that cannot be read (damaged, or written by an
 * incompatible version) is seen as such, with its bytes, instead of failing every read, and so that a state too
 * large for one record is refused before it is written.
 */
final class ConversationStore {

    /** What the store holds for a conversation: nothing, a state, or bytes that are not one. */
    record Loaded(ConversationState state, byte[] unreadable, RuntimeException error) {
        static final Loaded MISSING = new Loaded(null, null, null);

        boolean missing() {
            return state == null && unreadable == null;
        }
    }

    private final KeyValueStore<String, byte[]> store;
    private final int maxRecordBytes;

    ConversationStore(KeyValueStore<String, byte[]> store, int maxRecordBytes) {
        this.store = store;
        this.maxRecordBytes = maxRecordBytes;
    }

    Loaded load(String id) {
        return decode(store.get(id));
    }

    /** The state encoded as it will be stored; throws when it cannot be written or is too large for a record. */
    byte[] encode(ConversationState state) {
        return RecordLimit.check("conversation state", Topics.CONVERSATION_STATE.encode(state), maxRecordBytes);
    }

    void put(String id, byte[] encoded) {
        store.put(id, encoded);
    }

    void delete(String id) {
        store.delete(id);
    }

    void forEach(BiConsumer<String, Loaded> action) {
        try (KeyValueIterator<String, byte[]> all = store.all()) {
            all.forEachRemaining(entry -> action.accept(entry.key, decode(entry.value)));
        }
    }

    private static Loaded decode(byte[] bytes) {
        if (bytes == null) {
            return Loaded.MISSING;
        }
        try {
            return new Loaded(Topics.CONVERSATION_STATE.decode(bytes), null, null);
        } catch (RuntimeException e) {
            return new Loaded(null, bytes, e);
        }
    }
}
