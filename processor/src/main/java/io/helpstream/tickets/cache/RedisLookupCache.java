package io.helpstream.tickets.cache;

import io.lettuce.core.RedisURI;
import io.lettuce.core.SetArgs;
import io.lettuce.core.api.sync.RedisCommands;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * {@link LookupCache} on Redis through Lettuce. Every key is stored as {@code <keyPrefix><key>}.
 *
 * <p>Built to be optional at run time: the connection is opened lazily and retried at a bounded rate, commands fail
 * fast while Redis is away (short timeout, commands rejected while disconnected), failures are counted in
 * {@code helpstream.cache.requests{result=error}} and logged once per outage, and no failure reaches the caller.
 */
public final class RedisLookupCache implements LookupCache {

    /** Failed evictions remembered for replay; far more than an outage of a few seconds produces. */
    private static final int MAX_PENDING_EVICTIONS = 10_000;

    private final String keyPrefix;
    private final LazyRedisConnection connection;
    private final CacheHealth health;
    private final PendingEvictions pendingEvictions = new PendingEvictions(MAX_PENDING_EVICTIONS);

    /** Does not contact Redis; the first command does. Throws only on a malformed URL. */
    public RedisLookupCache(CacheSettings settings, MeterRegistry registry) {
        Objects.requireNonNull(settings, "settings");
        Objects.requireNonNull(registry, "registry");
        RedisURI uri = RedisURI.create(settings.redisUrl());
        this.keyPrefix = settings.keyPrefix();
        this.health = new CacheHealth(uri.getHost() + ":" + uri.getPort() + "/" + uri.getDatabase(), registry);
        this.connection = new LazyRedisConnection(uri, settings.commandTimeout(), settings.reconnectInterval());
    }

    @Override
    public Optional<String> get(String key) {
        String namespaced = namespaced(key);
        try {
            String value = reachable().get(namespaced);
            if (value == null) {
                health.miss();
                return Optional.empty();
            }
            health.hit();
            return Optional.of(value);
        } catch (RuntimeException e) {
            health.getFailed(e);
            return Optional.empty();
        }
    }

    @Override
    public void put(String key, String value, Duration ttl) {
        String namespaced = namespaced(key);
        Objects.requireNonNull(value, "value");
        Objects.requireNonNull(ttl, "ttl");
        if (ttl.toMillis() < 1) {
            throw new IllegalArgumentException("ttl must be at least 1 ms, got " + ttl);
        }
        try {
            reachable().set(namespaced, value, SetArgs.Builder.px(ttl.toMillis()));
            health.stored();
        } catch (RuntimeException e) {
            health.putFailed(e);
        }
    }

    @Override
    public void evict(String key) {
        String namespaced = namespaced(key);
        try {
            reachable().del(namespaced);
            health.evicted();
        } catch (RuntimeException e) {
            pendingEvictions.add(namespaced);
            health.evictFailed(e);
        }
    }

    /**
     * Opens the connection on a background thread now, so the first look-ups find it open instead of waiting for
     * (or failing behind) a cold connect. Failing here is not an outage: the first command tries again.
     */
    public void connectInBackground() {
        Thread opener = new Thread(() -> {
            try {
                connection.commands();
            } catch (RuntimeException e) {
                // Left to the first command, which counts and reports it.
            }
        }, "helpstream-redis-connect");
        opener.setDaemon(true);
        opener.start();
    }

    /** False while the last command failed; true again after the next command that succeeds. */
    public boolean available() {
        return health.available();
    }

    /** True when Redis answers a PING now, within the command timeout (a health check; counts nothing). */
    public boolean answers() {
        try {
            return "PONG".equalsIgnoreCase(connection.commands().ping());
        } catch (RuntimeException e) {
            return false;
        }
    }

    @Override
    public void close() {
        connection.close();
    }

    /** The connection's commands, once evictions lost in an earlier outage have been replayed. */
    private RedisCommands<String, String> reachable() {
        RedisCommands<String, String> redis = connection.commands();
        pendingEvictions.replay(redis);
        return redis;
    }

    private String namespaced(String key) {
        Objects.requireNonNull(key, "key");
        if (key.isEmpty()) {
            throw new IllegalArgumentException("key must not be empty");
        }
        return keyPrefix + key;
    }
}
