package io.helpstream.conversation;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Duration;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.state.KeyValueBytesStoreSupplier;
import org.apache.kafka.streams.state.KeyValueStore;

/** A store supplier whose stores take {@code delay} for every {@code get} once {@link #slow(boolean)} is on. */
final class SlowReads implements KeyValueBytesStoreSupplier {

    private final KeyValueBytesStoreSupplier inner;
    private final Duration delay;
    private volatile boolean slow;

    SlowReads(KeyValueBytesStoreSupplier inner, Duration delay) {
        this.inner = inner;
        this.delay = delay;
    }

    void slow(boolean on) {
        slow = on;
    }

    @Override
    public String name() {
        return inner.name();
    }

    @SuppressWarnings("unchecked")
    @Override
    public KeyValueStore<Bytes, byte[]> get() {
        KeyValueStore<Bytes, byte[]> store = inner.get();
        return (KeyValueStore<Bytes, byte[]>) Proxy.newProxyInstance(SlowReads.class.getClassLoader(),
                new Class<?>[]{KeyValueStore.class}, (proxy, method, args) -> {
                    if (slow && method.getName().equals("get")) {
                        Thread.sleep(delay.toMillis());
                    }
                    try {
                        return method.invoke(store, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    @Override
    public String metricsScope() {
        return inner.metricsScope();
    }
}
