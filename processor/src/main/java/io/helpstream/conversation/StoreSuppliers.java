package io.helpstream.conversation;

import io.helpstream.contract.ConversationStores;
import java.time.Duration;
import java.util.Objects;
import org.apache.kafka.streams.state.KeyValueBytesStoreSupplier;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.state.WindowBytesStoreSupplier;

/**
 * Where the conversation stores live: RocksDB in production, memory in some tests, or a store a test prepared. Each
 * supplier must carry its store's name from {@link ConversationStores}, as the changelog topics derive from it.
 */
public record StoreSuppliers(KeyValueBytesStoreSupplier meta, KeyValueBytesStoreSupplier pending,
                             KeyValueBytesStoreSupplier history, WindowBytesStoreSupplier dedup,
                             KeyValueBytesStoreSupplier expiry, KeyValueBytesStoreSupplier legacy) {

    public StoreSuppliers {
        named(meta.name(), ConversationStores.META);
        named(pending.name(), ConversationStores.PENDING);
        named(history.name(), ConversationStores.HISTORY);
        named(dedup.name(), ConversationStores.DEDUP);
        named(expiry.name(), ConversationStores.EXPIRY);
        named(legacy.name(), ConversationStores.LEGACY);
    }

    /** RocksDB stores; message ids are remembered for at least {@code dedupRetention}. */
    public static StoreSuppliers persistent(Duration dedupRetention) {
        return new StoreSuppliers(Stores.persistentKeyValueStore(ConversationStores.META),
                Stores.persistentKeyValueStore(ConversationStores.PENDING),
                Stores.persistentKeyValueStore(ConversationStores.HISTORY),
                Stores.persistentWindowStore(ConversationStores.DEDUP, dedupRetention, dedupRetention, false),
                Stores.persistentKeyValueStore(ConversationStores.EXPIRY),
                Stores.persistentKeyValueStore(ConversationStores.LEGACY));
    }

    /** In-memory stores (changelogged all the same). */
    public static StoreSuppliers inMemory(Duration dedupRetention) {
        return new StoreSuppliers(Stores.inMemoryKeyValueStore(ConversationStores.META),
                Stores.inMemoryKeyValueStore(ConversationStores.PENDING),
                Stores.inMemoryKeyValueStore(ConversationStores.HISTORY),
                Stores.inMemoryWindowStore(ConversationStores.DEDUP, dedupRetention, dedupRetention, false),
                Stores.inMemoryKeyValueStore(ConversationStores.EXPIRY),
                Stores.inMemoryKeyValueStore(ConversationStores.LEGACY));
    }

    public StoreSuppliers withMeta(KeyValueBytesStoreSupplier supplier) {
        return new StoreSuppliers(supplier, pending, history, dedup, expiry, legacy);
    }

    public StoreSuppliers withHistory(KeyValueBytesStoreSupplier supplier) {
        return new StoreSuppliers(meta, pending, supplier, dedup, expiry, legacy);
    }

    public StoreSuppliers withLegacy(KeyValueBytesStoreSupplier supplier) {
        return new StoreSuppliers(meta, pending, history, dedup, expiry, supplier);
    }

    private static void named(String actual, String expected) {
        if (!Objects.equals(actual, expected)) {
            throw new IllegalArgumentException("the " + expected + " store's supplier is named " + actual);
        }
    }
}
