package io.helpstream.conversation;

import io.helpstream.contract.AvroSerde;
import io.helpstream.contract.ConversationKeys;
import io.helpstream.contract.ConversationStores;
import io.helpstream.contract.Topics;
import io.helpstream.protection.ValueCipher;
import io.helpstream.schema.ConversationMeta;
import io.helpstream.schema.ConversationState;
import io.helpstream.schema.HistoryTurn;
import io.helpstream.schema.PendingMessage;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.api.ProcessingContext;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.apache.kafka.streams.state.WindowStore;
import org.apache.kafka.streams.state.WindowStoreIterator;

/**
 * A task's conversations, split over stores so that each record is small and a step writes only what it changed:
 * the conversation's meta by id, its pending messages and history turns by (conversation, sequence), the message
 * ids it accepted in a window store that forgets them after the retention time, and an expiry index by (deadline,
 * conversation). Values are kept as encoded bytes: a record that cannot be read (damaged, or written by an
 * incompatible version) is seen as such, with its bytes, instead of failing every read, and a record too large to be
 * written is refused before it is. With a keyset configured, every value of the meta, pending, history and version-1
 * stores is encrypted ({@link ValueCipher}), bound to its store and key; a record stored plain before is still read,
 * and one that does not decrypt is unreadable like any damaged record. The dedup and expiry stores hold no values.
 */
final class ConversationStore {

    private static final byte[] EMPTY = new byte[0];
    private static final byte[] SEEN = {1};

    /** What a store held under a key that is not a record of its type. */
    record Unreadable(String store, byte[] key, byte[] bytes, RuntimeException error) {
    }

    /** A conversation's meta: nothing, a record, or bytes that are not one. */
    record Loaded(ConversationMeta meta, Unreadable unreadable) {
        static final Loaded MISSING = new Loaded(null, null);

        boolean missing() {
            return meta == null && unreadable == null;
        }
    }

    /** A pending message with its sequence number and encoded size. */
    record Pending(long sequence, PendingMessage message, int bytes) {
    }

    /** A conversation's pending messages in order, and any that could not be read. */
    record PendingRead(List<Pending> messages, List<Unreadable> unreadable) {
    }

    /** A conversation's history turns in order, and any that could not be read. */
    record HistoryRead(List<HistoryTurn> turns, List<Unreadable> unreadable) {
    }

    /** An expiry index entry that is due. */
    record Due(byte[] key, long deadline, String conversationId) {
    }

    private final KeyValueStore<String, byte[]> meta;
    private final KeyValueStore<Bytes, byte[]> pending;
    private final KeyValueStore<Bytes, byte[]> history;
    private final WindowStore<Bytes, byte[]> dedup;
    private final KeyValueStore<Bytes, byte[]> expiry;
    private final KeyValueStore<String, byte[]> legacy;
    private final int maxRecordBytes;
    private final ValueCipher cipher;
    /** No entry of the expiry index is due before this; 0 until the first read of this life of the task. */
    private long expiryCursor;

    ConversationStore(KeyValueStore<String, byte[]> meta, KeyValueStore<Bytes, byte[]> pending,
                      KeyValueStore<Bytes, byte[]> history, WindowStore<Bytes, byte[]> dedup,
                      KeyValueStore<Bytes, byte[]> expiry, KeyValueStore<String, byte[]> legacy,
                      int maxRecordBytes, ValueCipher cipher) {
        this.meta = meta;
        this.pending = pending;
        this.history = history;
        this.dedup = dedup;
        this.expiry = expiry;
        this.legacy = legacy;
        this.maxRecordBytes = maxRecordBytes;
        this.cipher = cipher;
    }

    /** The stores of a processor's (or a test driver's) context. */
    static ConversationStore of(ProcessingContext context, int maxRecordBytes, ValueCipher cipher) {
        return new ConversationStore(context.getStateStore(ConversationStores.META),
                context.getStateStore(ConversationStores.PENDING), context.getStateStore(ConversationStores.HISTORY),
                context.getStateStore(ConversationStores.DEDUP), context.getStateStore(ConversationStores.EXPIRY),
                context.getStateStore(ConversationStores.LEGACY), maxRecordBytes, cipher);
    }

    // --- meta ---

    Loaded load(String id) {
        return load(meta, cipher, id);
    }

    /** A conversation's meta from any store of metas, e.g. one read by an interactive query. */
    static Loaded load(ReadOnlyKeyValueStore<String, byte[]> meta, ValueCipher cipher, String id) {
        byte[] bytes = meta.get(id);
        if (bytes == null) {
            return Loaded.MISSING;
        }
        try {
            return new Loaded(Topics.CONVERSATION_META.decode(cipher.open(ConversationStores.META, utf8(id), bytes)),
                    null);
        } catch (RuntimeException e) {
            return new Loaded(null, new Unreadable(ConversationStores.META, utf8(id), bytes, e));
        }
    }

    /**
     * The record encoded, before it is encrypted for its store; throws when it cannot be written or would be too
     * large for a record once encrypted.
     */
    <T extends SpecificRecord> byte[] encode(String what, AvroSerde<T> serde, T record) {
        return RecordLimit.check(what, serde.encode(record), maxRecordBytes - cipher.overhead());
    }

    void putMeta(String id, byte[] encoded) {
        meta.put(id, cipher.seal(ConversationStores.META, utf8(id), encoded));
    }

    // --- message ids ---

    /** True when the conversation accepted (or refused) this message id within the retention time. */
    boolean seen(String id, String messageId) {
        try (WindowStoreIterator<byte[]> found = dedup.fetch(Bytes.wrap(ConversationKeys.message(id, messageId)),
                0L, Long.MAX_VALUE)) {
            return found.hasNext();
        }
    }

    void remember(String id, String messageId, long now) {
        dedup.put(Bytes.wrap(ConversationKeys.message(id, messageId)), SEEN, now);
    }

    /** Forgets that the conversation accepted this message id (a replay of it is to be accepted again). */
    void forget(String id, String messageId) {
        Bytes key = Bytes.wrap(ConversationKeys.message(id, messageId));
        List<Long> times = new ArrayList<>();
        try (WindowStoreIterator<byte[]> found = dedup.fetch(key, 0L, Long.MAX_VALUE)) {
            found.forEachRemaining(entry -> times.add(entry.key));
        }
        times.forEach(time -> dedup.put(key, null, time));
    }

    // --- pending messages ---

    void putPending(String id, long sequence, byte[] encoded) {
        byte[] key = ConversationKeys.entry(id, sequence);
        pending.put(Bytes.wrap(key), cipher.seal(ConversationStores.PENDING, key, encoded));
    }

    void deletePending(String id, long sequence) {
        pending.delete(Bytes.wrap(ConversationKeys.entry(id, sequence)));
    }

    /** Up to {@code max} pending messages of the conversation, oldest first, starting at its first pending one. */
    PendingRead pending(ConversationMeta conversation, int max) {
        return pending(conversation, max, Long.MAX_VALUE);
    }

    /**
     * Up to {@code max} pending messages of the conversation, oldest first, and no more than {@code maxBytes} of
     * them together (but always the first). Read by key, one point read per message: the sequence numbers of the
     * pending messages are {@code firstPending} up to {@code nextPending}, and a range scan would step over the
     * tombstone of every message answered since the store was last compacted.
     */
    PendingRead pending(ConversationMeta conversation, int max, long maxBytes) {
        return pending(pending, cipher, conversation, max, maxBytes);
    }

    /** {@link #pending(ConversationMeta, int, long)} from any store of pending messages. */
    static PendingRead pending(ReadOnlyKeyValueStore<Bytes, byte[]> pending, ValueCipher cipher,
                               ConversationMeta conversation, int max, long maxBytes) {
        String id = conversation.getConversationId();
        List<Pending> messages = new ArrayList<>();
        List<Unreadable> unreadable = new ArrayList<>();
        long bytes = 0;
        int wanted = Math.min(max, conversation.getPendingCount());
        for (long sequence = conversation.getFirstPending();
             sequence < conversation.getNextPending() && messages.size() < wanted; sequence++) {
            byte[] key = ConversationKeys.entry(id, sequence);
            byte[] value = pending.get(Bytes.wrap(key));
            if (value == null) {
                continue;
            }
            byte[] plain;
            try {
                plain = cipher.open(ConversationStores.PENDING, key, value);
            } catch (RuntimeException e) {
                unreadable.add(new Unreadable(ConversationStores.PENDING, key, value, e));
                continue;
            }
            // Counted as the meta counts them: the encoded message, before encryption.
            bytes += plain.length;
            if (!messages.isEmpty() && bytes > maxBytes) {
                break;
            }
            try {
                messages.add(new Pending(sequence, Topics.PENDING_MESSAGE.decode(plain), plain.length));
            } catch (RuntimeException e) {
                unreadable.add(new Unreadable(ConversationStores.PENDING, key, value, e));
            }
        }
        return new PendingRead(messages, unreadable);
    }

    /**
     * Every pending message, with its conversation, in store order: its encoded record, or the stored bytes when they
     * do not decrypt (they then fail to decode as well).
     */
    void forEachPending(BiConsumer<String, byte[]> action) {
        try (KeyValueIterator<Bytes, byte[]> all = pending.all()) {
            all.forEachRemaining(entry -> action.accept(ConversationKeys.conversationOf(entry.key.get()),
                    openOrStored(ConversationStores.PENDING, entry.key.get(), entry.value)));
        }
    }

    /** Every pending message of one conversation, oldest first, as {@link #forEachPending} gives them. */
    void forEachPendingOf(String id, java.util.function.Consumer<byte[]> action) {
        try (KeyValueIterator<Bytes, byte[]> range = pending.range(Bytes.wrap(ConversationKeys.entry(id, 0)),
                Bytes.wrap(ConversationKeys.entry(id, Long.MAX_VALUE)))) {
            range.forEachRemaining(entry -> action.accept(openOrStored(ConversationStores.PENDING, entry.key.get(),
                    entry.value)));
        }
    }

    // --- history ---

    void putTurn(String id, long number, byte[] encoded) {
        byte[] key = ConversationKeys.entry(id, number);
        history.put(Bytes.wrap(key), cipher.seal(ConversationStores.HISTORY, key, encoded));
    }

    void deleteTurn(String id, long number) {
        history.delete(Bytes.wrap(ConversationKeys.entry(id, number)));
    }

    /** The conversation's last {@code window} turns, oldest first, read by key (turn numbers are contiguous). */
    HistoryRead history(ConversationMeta conversation, int window) {
        return history(history, cipher, conversation, window);
    }

    /** {@link #history(ConversationMeta, int)} from any store of history turns. */
    static HistoryRead history(ReadOnlyKeyValueStore<Bytes, byte[]> history, ValueCipher cipher,
                               ConversationMeta conversation, int window) {
        String id = conversation.getConversationId();
        long first = Math.max(1, conversation.getTurnCount() - (long) window + 1);
        List<HistoryTurn> turns = new ArrayList<>();
        List<Unreadable> unreadable = new ArrayList<>();
        for (long number = first; number <= conversation.getTurnCount(); number++) {
            byte[] key = ConversationKeys.entry(id, number);
            byte[] value = history.get(Bytes.wrap(key));
            if (value == null) {
                continue;
            }
            try {
                turns.add(Topics.HISTORY_TURN.decode(cipher.open(ConversationStores.HISTORY, key, value)));
            } catch (RuntimeException e) {
                unreadable.add(new Unreadable(ConversationStores.HISTORY, key, value, e));
            }
        }
        return new HistoryRead(turns, unreadable);
    }

    // --- expiry index ---

    void index(long deadline, String id) {
        expiry.put(Bytes.wrap(ConversationKeys.deadline(deadline, id)), EMPTY);
        expiryCursor = Math.min(expiryCursor, deadline);
    }

    /** Moves the cursor back to {@code deadline}: entries due from there were left for a later read. */
    void rewindExpiry(long deadline) {
        expiryCursor = Math.min(expiryCursor, deadline);
    }

    void unindex(Due due) {
        expiry.delete(Bytes.wrap(due.key()));
    }

    /**
     * Up to {@code max} index entries due at {@code now}, earliest first. The read starts at a cursor, not at the
     * index's beginning: the entries consumed before are tombstones there, and a read from the beginning would step
     * over all of them every time. The cursor moves past what was due and back to any earlier deadline indexed since.
     */
    List<Due> due(long now, int max) {
        List<Due> due = new ArrayList<>();
        try (KeyValueIterator<Bytes, byte[]> range = expiry.range(
                Bytes.wrap(ConversationKeys.deadline(Math.min(expiryCursor, now), "")),
                Bytes.wrap(ConversationKeys.deadline(now + 1, "")))) {
            while (due.size() < max && range.hasNext()) {
                byte[] key = range.next().key.get();
                long deadline = ConversationKeys.deadlineOf(key);
                if (deadline > now) {
                    break;
                }
                due.add(new Due(key, deadline, ConversationKeys.conversationOfDeadline(key)));
            }
        }
        // A full batch may leave more at its last deadline; otherwise nothing up to now is left.
        expiryCursor = due.size() >= max ? due.get(due.size() - 1).deadline() : now + 1;
        return due;
    }

    // --- whole conversations ---

    /**
     * Removes the conversation's meta, pending messages and the history turns of the window, by key: the meta says
     * which exist. Its expiry entry is the caller's (the scan consumes it; a left-over entry finds no meta and is
     * dropped). Its message ids stay until they expire.
     */
    void delete(ConversationMeta conversation, int historyWindow) {
        String id = conversation.getConversationId();
        meta.delete(id);
        if (conversation.getPendingCount() > 0) {
            for (long sequence = conversation.getFirstPending(); sequence < conversation.getNextPending(); sequence++) {
                pending.delete(Bytes.wrap(ConversationKeys.entry(id, sequence)));
            }
        }
        for (long number = Math.max(1, conversation.getTurnCount() - (long) historyWindow + 1);
             number <= conversation.getTurnCount(); number++) {
            history.delete(Bytes.wrap(ConversationKeys.entry(id, number)));
        }
    }

    /**
     * Removes whatever the stores hold for a conversation whose meta cannot be read, by range scans: it is not known
     * which records it has. Rare (a damaged record), so the cost of stepping over tombstones does not matter.
     */
    void deleteUnknown(String id) {
        meta.delete(id);
        deleteRange(pending, id);
        deleteRange(history, id);
    }

    private static void deleteRange(KeyValueStore<Bytes, byte[]> store, String id) {
        List<Bytes> keys = new ArrayList<>();
        try (KeyValueIterator<Bytes, byte[]> range = store.range(Bytes.wrap(ConversationKeys.entry(id, 0)),
                Bytes.wrap(ConversationKeys.entry(id, Long.MAX_VALUE)))) {
            range.forEachRemaining(entry -> keys.add(entry.key));
        }
        keys.forEach(store::delete);
    }

    // --- the version-1 store ---

    boolean legacyEmpty() {
        try (KeyValueIterator<String, byte[]> all = legacy.all()) {
            return !all.hasNext();
        }
    }

    /** Up to {@code max} conversations of the version-1 store: decoded, or the bytes that are not a state. */
    List<KeyValue<String, byte[]>> legacyBatch(int max) {
        List<KeyValue<String, byte[]>> batch = new ArrayList<>();
        try (KeyValueIterator<String, byte[]> all = legacy.all()) {
            while (all.hasNext() && batch.size() < max) {
                batch.add(all.next());
            }
        }
        return batch;
    }

    /** The version-1 state stored for the conversation, as {@link #forEachPending} gives records; null if none. */
    byte[] legacy(String id) {
        byte[] stored = legacy.get(id);
        return stored == null ? null : openOrStored(ConversationStores.LEGACY, utf8(id), stored);
    }

    void deleteLegacy(String id) {
        legacy.delete(id);
    }

    static ConversationState decodeLegacy(byte[] bytes) {
        return Topics.CONVERSATION_STATE.decode(bytes);
    }

    /** The plain record, or the stored bytes when they do not decrypt: decoding them then fails, as it should. */
    private byte[] openOrStored(String store, byte[] key, byte[] stored) {
        try {
            return cipher.open(store, key, stored);
        } catch (RuntimeException e) {
            return stored;
        }
    }

    private static byte[] utf8(String id) {
        return id.getBytes(StandardCharsets.UTF_8);
    }
}
