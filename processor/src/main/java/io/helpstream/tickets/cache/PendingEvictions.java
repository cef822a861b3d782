package io.helpstream.tickets.cache;

import io.lettuce.core.api.sync.RedisCommands;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Evictions that failed while Redis was unreachable, replayed before the next command that reaches it. Without
 * this, an entry whose eviction was lost in a short network outage would be served stale until its TTL ran out.
 */
final class PendingEvictions {

    private static final Logger log = LoggerFactory.getLogger(PendingEvictions.class);

    private final int capacity;
    private final Set<String> keys = ConcurrentHashMap.newKeySet();

    PendingEvictions(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be positive, got " + capacity);
        }
        this.capacity = capacity;
    }

    void add(String namespacedKey) {
        if (keys.size() < capacity) {
            keys.add(namespacedKey);
        } else {
            log.warn("More than {} cache evictions failed during the outage; {} may be served stale until its TTL",
                    capacity, namespacedKey);
        }
    }

    /** Deletes every pending key; throws (keeping them pending) when Redis does not answer. */
    void replay(RedisCommands<String, String> redis) {
        if (keys.isEmpty()) {
            return;
        }
        List<String> batch = List.copyOf(keys);
        redis.del(batch.toArray(String[]::new));
        batch.forEach(keys::remove);
        log.info("Replayed {} cache evictions that failed while Redis was unavailable", batch.size());
    }

    int size() {
        return keys.size();
    }
}
