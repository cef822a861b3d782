package io.helpstream.tickets.cache;

import java.time.Duration;
import java.util.Optional;

/**
 * A key-value cache for look-ups. Keys are relative (e.g. {@code customer:<digest>}); the adapter namespaces them.
 *
 * <p>The cache is an optimisation, never a dependency: a failure of the store is not thrown to the caller.
 * {@link #get} then answers empty and {@link #put}/{@link #evict} do nothing, so the caller goes on to the source.
 */
public interface LookupCache extends AutoCloseable {

    /** The cached value, or empty on a miss or when the store cannot answer. */
    Optional<String> get(String key);

    /** Stores the value for the given time to live (at least 1 ms); does nothing when the store cannot answer. */
    void put(String key, String value, Duration ttl);

    /** Removes the value, if any. */
    void evict(String key);

    @Override
    void close();
}
