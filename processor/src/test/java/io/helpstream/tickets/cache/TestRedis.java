package io.helpstream.tickets.cache;

import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.RedisClient;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Direct access to a test Redis under a random key prefix of its own, so tests can look behind the cache (raw
 * values, TTLs) and delete exactly the keys they made.
 */
public final class TestRedis implements AutoCloseable {

    private static String sharedUrl;

    /**
     * The Redis tests use, found the way the application finds one: {@code REDIS_URL}; else the server on
     * 127.0.0.1:6379; else a {@code redis-server} of the test JVM's own, started once and stopped at exit.
     */
    public static synchronized String sharedUrl() {
        if (sharedUrl == null) {
            String url = System.getenv("REDIS_URL");
            if (url != null && !url.isBlank()) {
                sharedUrl = url;
            } else if (answers("127.0.0.1", 6379)) {
                sharedUrl = "redis://127.0.0.1:6379";
            } else {
                sharedUrl = startJvmWideServer();
            }
        }
        return sharedUrl;
    }

    private static boolean answers(String host, int port) {
        try (java.net.Socket socket = new java.net.Socket()) {
            socket.connect(new java.net.InetSocketAddress(host, port), 300);
            return true;
        } catch (java.io.IOException e) {
            return false;
        }
    }

    private static String startJvmWideServer() {
        try {
            ThrowawayRedis server = ThrowawayRedis.volatileServer().start();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    server.close();
                } catch (Exception e) {
                    System.err.println("could not stop the test Redis: " + e);
                }
            }, "test-redis-stop"));
            return server.url();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("no Redis answers and none could be started", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private final RedisClient client;
    private final StatefulRedisConnection<String, String> connection;
    private final String prefix = "helpstream-test-" + UUID.randomUUID() + ":";

    public TestRedis(String url) {
        client = RedisClient.create(url);
        client.setDefaultTimeout(Duration.ofSeconds(5));
        connection = client.connect();
    }

    public String prefix() {
        return prefix;
    }

    public RedisCommands<String, String> redis() {
        return connection.sync();
    }

    public List<String> keys() {
        List<String> keys = new ArrayList<>();
        ScanArgs match = ScanArgs.Builder.matches(prefix + "*").limit(500);
        ScanCursor cursor = ScanCursor.INITIAL;
        do {
            KeyScanCursor<String> page = redis().scan(cursor, match);
            keys.addAll(page.getKeys());
            cursor = page;
        } while (!cursor.isFinished());
        return keys;
    }

    /** Deletes every key under this prefix (SCAN + DEL, never KEYS or FLUSHDB on a shared server). */
    public void deleteKeys() {
        List<String> keys = keys();
        if (!keys.isEmpty()) {
            redis().del(keys.toArray(String[]::new));
        }
    }

    @Override
    public void close() {
        try {
            deleteKeys();
        } finally {
            connection.close();
            client.shutdown();
        }
    }
}
