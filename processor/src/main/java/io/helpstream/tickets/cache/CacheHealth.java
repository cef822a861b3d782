package io.helpstream.tickets.cache;

import io.helpstream.protection.Redaction;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Counts cache requests by outcome and tells the log when the cache goes away and comes back.
 *
 * <p>An outage is logged once, at its first failure, and its end once, at the next success: a Redis that is down
 * would otherwise put a warning on every look-up.
 */
final class CacheHealth {

    static final String REQUESTS = "helpstream.cache.requests";
    static final String AVAILABLE = "helpstream.cache.available";

    private static final Logger log = LoggerFactory.getLogger(CacheHealth.class);

    private final String target;
    private final AtomicBoolean down = new AtomicBoolean(false);
    private final Counter hits;
    private final Counter misses;
    private final Counter getErrors;
    private final Counter puts;
    private final Counter putErrors;
    private final Counter evictions;
    private final Counter evictErrors;

    CacheHealth(String target, MeterRegistry registry) {
        this.target = Objects.requireNonNull(target, "target");
        Objects.requireNonNull(registry, "registry");
        hits = counter(registry, "get", "hit");
        misses = counter(registry, "get", "miss");
        getErrors = counter(registry, "get", "error");
        puts = counter(registry, "put", "ok");
        putErrors = counter(registry, "put", "error");
        evictions = counter(registry, "evict", "ok");
        evictErrors = counter(registry, "evict", "error");
        Gauge.builder(AVAILABLE, down, d -> d.get() ? 0 : 1)
                .description("1 while the cache answers, 0 during an outage")
                .register(registry);
    }

    void hit() {
        hits.increment();
        answered();
    }

    void miss() {
        misses.increment();
        answered();
    }

    void stored() {
        puts.increment();
        answered();
    }

    void evicted() {
        evictions.increment();
        answered();
    }

    void getFailed(RuntimeException cause) {
        getErrors.increment();
        failed("get", cause);
    }

    void putFailed(RuntimeException cause) {
        putErrors.increment();
        failed("put", cause);
    }

    void evictFailed(RuntimeException cause) {
        evictErrors.increment();
        failed("evict", cause);
    }

    boolean available() {
        return !down.get();
    }

    private void answered() {
        if (down.compareAndSet(true, false)) {
            log.info("Redis cache at {} answers again; look-ups are cached again", target);
        }
    }

    private void failed(String operation, RuntimeException cause) {
        if (down.compareAndSet(false, true)) {
            log.warn("Redis cache at {} is unavailable ({} failed: {}); going on without the cache until it answers",
                    target, operation, Redaction.describe(cause));
        } else {
            log.debug("Redis cache at {} still unavailable ({} failed: {})", target, operation, cause.toString());
        }
    }

    private static Counter counter(MeterRegistry registry, String operation, String result) {
        return Counter.builder(REQUESTS)
                .description("Cache requests by operation and result")
                .tag("operation", operation)
                .tag("result", result)
                .register(registry);
    }
}
