package io.helpstream.tickets.cache;

import io.helpstream.tickets.SupportRepositoryException;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Collapses concurrent cache misses of one key into one load: the first caller loads, the others wait for its result.
 * A stampede on a popular key (many turns looking the same customer up as its entry expires) costs the database one
 * read per instance. A write that invalidates the key while it loads keeps the loaded value out of the cache, so an
 * answer read before the write is not cached after it.
 */
final class SingleFlight {

    private static final class Flight<T> {
        final CompletableFuture<T> result = new CompletableFuture<>();
        final AtomicInteger followers = new AtomicInteger();
        volatile boolean invalidated;
    }

    private final Map<String, Flight<?>> flights = new ConcurrentHashMap<>();

    /**
     * The result of {@code load} for {@code key}, shared with every concurrent caller for the same key; the loader
     * hands it to {@code store} first, unless the key was invalidated meanwhile. A failed load fails its followers.
     */
    @SuppressWarnings("unchecked")
    <T> T load(String key, Supplier<T> load, Consumer<T> store) {
        Flight<T> mine = new Flight<>();
        Flight<T> running = (Flight<T>) flights.putIfAbsent(key, mine);
        if (running != null) {
            return follow(running);
        }
        try {
            T value = load.get();
            if (!mine.invalidated) {
                store.accept(value);
            }
            mine.result.complete(value);
            return value;
        } catch (RuntimeException | Error e) {
            mine.result.completeExceptionally(e);
            throw e;
        } finally {
            flights.remove(key, mine);
        }
    }

    /** A write changed what {@code key} caches: a load running now is not stored. */
    void invalidate(String key) {
        Flight<?> running = flights.get(key);
        if (running != null) {
            running.invalidated = true;
        }
    }

    /** Callers waiting for the load of {@code key} running now (for tests). */
    int followers(String key) {
        Flight<?> running = flights.get(key);
        return running == null ? 0 : running.followers.get();
    }

    private static <T> T follow(Flight<T> running) {
        running.followers.incrementAndGet();
        try {
            return running.result.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SupportRepositoryException("interrupted while waiting for a look-up", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (cause instanceof Error error) {
                throw error;
            }
            throw new SupportRepositoryException("the look-up failed", cause);
        } finally {
            running.followers.decrementAndGet();
        }
    }
}
