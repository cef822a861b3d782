package io.helpstream.tickets.cache;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisConnectionException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import io.lettuce.core.resource.Delay;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A Redis connection opened on first use rather than at start-up, so the application starts whether or not Redis
 * answers. While it cannot be opened, a new attempt is made at most once per reconnect interval; in between, callers
 * fail at once instead of each waiting for a connect timeout. Once open, Lettuce keeps it alive: it reconnects on its
 * own and, while disconnected, rejects commands immediately.
 */
final class LazyRedisConnection implements AutoCloseable {

    private final RedisURI uri;
    private final Duration reconnectInterval;
    private final Duration commandTimeout;
    private final ClientResources resources;
    private final RedisClient client;
    private final ReentrantLock connecting = new ReentrantLock();
    private volatile StatefulRedisConnection<String, String> connection;
    private volatile long nextAttemptNanos = System.nanoTime();
    private volatile boolean closed;

    LazyRedisConnection(RedisURI uri, Duration commandTimeout, Duration reconnectInterval) {
        this.uri = Objects.requireNonNull(uri, "uri");
        this.commandTimeout = Objects.requireNonNull(commandTimeout, "commandTimeout");
        this.reconnectInterval = Objects.requireNonNull(reconnectInterval, "reconnectInterval");
        uri.setTimeout(commandTimeout);
        // A small cache client: few threads, and reconnect back-off capped at the interval we also use ourselves.
        this.resources = DefaultClientResources.builder()
                .ioThreadPoolSize(2)
                .computationThreadPoolSize(2)
                .reconnectDelay(Delay.exponential(Duration.ofMillis(100), reconnectInterval, 2, TimeUnit.MILLISECONDS))
                .build();
        this.client = RedisClient.create(resources);
        client.setOptions(ClientOptions.builder()
                .autoReconnect(true)
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .timeoutOptions(TimeoutOptions.enabled(commandTimeout))
                .socketOptions(SocketOptions.builder().connectTimeout(commandTimeout).keepAlive(true).build())
                .build());
    }

    /** Commands on the open connection, opening it first if due; throws when Redis cannot be reached now. */
    RedisCommands<String, String> commands() {
        StatefulRedisConnection<String, String> open = connection;
        return (open != null ? open : connect()).sync();
    }

    private StatefulRedisConnection<String, String> connect() {
        if (closed) {
            throw new IllegalStateException("the Redis cache is closed");
        }
        // One caller makes the attempt; the others wait for it no longer than a command may take, then go on
        // without the cache.
        try {
            if (!connecting.tryLock(commandTimeout.toNanos(), TimeUnit.NANOSECONDS)) {
                throw new RedisConnectionException("a connection attempt to Redis is under way");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RedisConnectionException("interrupted while waiting for a Redis connection");
        }
        try {
            if (connection != null) {
                return connection;
            }
            long now = System.nanoTime();
            if (now - nextAttemptNanos < 0) {
                throw new RedisConnectionException("Redis did not answer; next connection attempt in "
                        + Duration.ofNanos(nextAttemptNanos - now).toMillis() + " ms");
            }
            nextAttemptNanos = now + reconnectInterval.toNanos();
            connection = client.connect(StringCodec.UTF8, uri);
            return connection;
        } finally {
            connecting.unlock();
        }
    }

    @Override
    public void close() {
        closed = true;
        connecting.lock();
        try {
            StatefulRedisConnection<String, String> open = connection;
            if (open != null) {
                open.close();
            }
            client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
            resources.shutdown(0, 2, TimeUnit.SECONDS);
        } finally {
            connecting.unlock();
        }
    }
}
