package io.helpstream.conversation;

import io.helpstream.contract.ConversationStores;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.kstream.Windowed;
import org.apache.kafka.streams.state.KeyValueBytesStoreSupplier;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.state.WindowBytesStoreSupplier;
import org.apache.kafka.streams.state.WindowStore;

/**
 * In-memory conversation stores that start with given records, as a task's stores start with what the changelogs
 * restored: the records of a task that died ({@link #of(TopologyHarness)}), or records a test wrote itself.
 */
final class RestoredStores {

    private final List<KeyValue<Bytes, byte[]>> meta = new ArrayList<>();
    private final List<KeyValue<Bytes, byte[]>> pending = new ArrayList<>();
    private final List<KeyValue<Bytes, byte[]>> history = new ArrayList<>();
    private final List<KeyValue<Windowed<Bytes>, byte[]>> dedup = new ArrayList<>();
    private final List<KeyValue<Bytes, byte[]>> expiry = new ArrayList<>();
    private final List<KeyValue<Bytes, byte[]>> legacy = new ArrayList<>();

    /** Everything the stores of a (dead) task's driver hold. */
    static RestoredStores of(TopologyHarness dead) {
        RestoredStores restored = new RestoredStores();
        copyStrings(dead.driver.getKeyValueStore(ConversationStores.META), restored.meta);
        copy(dead.driver.getKeyValueStore(ConversationStores.PENDING), restored.pending);
        copy(dead.driver.getKeyValueStore(ConversationStores.HISTORY), restored.history);
        copy(dead.driver.getKeyValueStore(ConversationStores.EXPIRY), restored.expiry);
        copyStrings(dead.driver.getKeyValueStore(ConversationStores.LEGACY), restored.legacy);
        WindowStore<Bytes, byte[]> ids = dead.driver.getWindowStore(ConversationStores.DEDUP);
        try (KeyValueIterator<Windowed<Bytes>, byte[]> all = ids.all()) {
            all.forEachRemaining(restored.dedup::add);
        }
        return restored;
    }

    static RestoredStores empty() {
        return new RestoredStores();
    }

    RestoredStores meta(String conversationId, byte[] value) {
        meta.add(KeyValue.pair(Bytes.wrap(conversationId.getBytes(StandardCharsets.UTF_8)), value));
        return this;
    }

    RestoredStores legacy(String conversationId, byte[] value) {
        legacy.add(KeyValue.pair(Bytes.wrap(conversationId.getBytes(StandardCharsets.UTF_8)), value));
        return this;
    }

    /** Stores holding these records once initialised. */
    StoreSuppliers suppliers(Duration dedupRetention) {
        StoreSuppliers memory = StoreSuppliers.inMemory(dedupRetention);
        return new StoreSuppliers(filled(memory.meta(), meta), filled(memory.pending(), pending),
                filled(memory.history(), history), filled(memory.dedup(), dedup), filled(memory.expiry(), expiry),
                filled(memory.legacy(), legacy));
    }

    private static KeyValueBytesStoreSupplier filled(KeyValueBytesStoreSupplier supplier,
                                                     List<KeyValue<Bytes, byte[]>> records) {
        return new KeyValueBytesStoreSupplier() {
            @Override
            public String name() {
                return supplier.name();
            }

            @SuppressWarnings("unchecked")
            @Override
            public KeyValueStore<Bytes, byte[]> get() {
                return filledOnInit(supplier.get(), KeyValueStore.class, store -> records.forEach(record ->
                        ((KeyValueStore<Bytes, byte[]>) store).put(record.key, record.value)));
            }

            @Override
            public String metricsScope() {
                return supplier.metricsScope();
            }
        };
    }

    private static WindowBytesStoreSupplier filled(WindowBytesStoreSupplier supplier,
                                                   List<KeyValue<Windowed<Bytes>, byte[]>> records) {
        return new WindowBytesStoreSupplier() {
            @Override
            public String name() {
                return supplier.name();
            }

            @SuppressWarnings("unchecked")
            @Override
            public WindowStore<Bytes, byte[]> get() {
                return filledOnInit(supplier.get(), WindowStore.class, store -> records.forEach(record ->
                        ((WindowStore<Bytes, byte[]>) store).put(record.key.key(), record.value,
                                record.key.window().start())));
            }

            @Override
            public String metricsScope() {
                return supplier.metricsScope();
            }

            @Override
            public long segmentIntervalMs() {
                return supplier.segmentIntervalMs();
            }

            @Override
            public long windowSize() {
                return supplier.windowSize();
            }

            @Override
            public boolean retainDuplicates() {
                return supplier.retainDuplicates();
            }

            @Override
            public long retentionPeriod() {
                return supplier.retentionPeriod();
            }
        };
    }

    /** The store, with {@code fill} run on it right after Kafka Streams initialised it. */
    @SuppressWarnings("unchecked")
    private static <S> S filledOnInit(S store, Class<?> type, Consumer<S> fill) {
        return (S) Proxy.newProxyInstance(RestoredStores.class.getClassLoader(), new Class<?>[]{type},
                (proxy, method, args) -> {
                    Object result;
                    try {
                        result = method.invoke(store, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                    if (method.getName().equals("init")) {
                        fill.accept(store);
                    }
                    return result;
                });
    }

    private static void copy(KeyValueStore<Bytes, byte[]> from, List<KeyValue<Bytes, byte[]>> to) {
        try (KeyValueIterator<Bytes, byte[]> all = from.all()) {
            all.forEachRemaining(to::add);
        }
    }

    private static void copyStrings(KeyValueStore<String, byte[]> from, List<KeyValue<Bytes, byte[]>> to) {
        try (KeyValueIterator<String, byte[]> all = from.all()) {
            all.forEachRemaining(entry -> to.add(KeyValue.pair(Bytes.wrap(entry.key.getBytes(StandardCharsets.UTF_8)),
                    entry.value)));
        }
    }
}
