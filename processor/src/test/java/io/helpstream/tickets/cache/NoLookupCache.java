package io.helpstream.tickets.cache;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/** The cache used when caching is switched off: every look-up misses and nothing is stored. */
public final class NoLookupCache implements LookupCache {

    @Override
    public Optional<String> get(String key) {
        Objects.requireNonNull(key, "key");
        return Optional.empty();
    }

    @Override
    public void put(String key, String value, Duration ttl) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(value, "value");
        Objects.requireNonNull(ttl, "ttl");
    }

    @Override
    public void evict(String key) {
        Objects.requireNonNull(key, "key");
    }

    @Override
    public void close() {
        // Nothing is held open.
    }
}
