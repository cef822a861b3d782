package io.helpstream.cache;

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

    /** The shared Redis of the test machine, or {@code REDIS_URL}. */
    public static String sharedUrl() {
        String url = System.getenv("REDIS_URL");
        return url == null || url.isBlank() ? "redis://127.0.0.1:6379" : url;
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
