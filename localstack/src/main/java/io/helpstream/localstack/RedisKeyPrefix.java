package io.helpstream.localstack;

import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.RedisClient;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.api.StatefulRedisConnection;
import java.time.Duration;
import java.util.UUID;

/**
 * A random key prefix on a Redis server that may be shared ({@code REDIS_URL}, else {@code redis://127.0.0.1:6379}):
 * whatever is written under it is deleted (SCAN + DEL of the prefix only) on close.
 */
public final class RedisKeyPrefix implements AutoCloseable {

    private final String url;
    private final String prefix;

    private RedisKeyPrefix(String url, String prefix) {
        this.url = url;
        this.prefix = prefix;
    }

    /** A prefix {@code helpstream-<label>-<random>:} on the configured or local Redis. */
    public static RedisKeyPrefix create(String label) {
        String configured = System.getenv("REDIS_URL");
        return on(configured == null || configured.isBlank() ? "redis://127.0.0.1:6379" : configured, label);
    }

    /** A prefix {@code helpstream-<label>-<random>:} on the given Redis. */
    public static RedisKeyPrefix on(String url, String label) {
        String random = UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        return new RedisKeyPrefix(url, "helpstream-" + label + "-" + random + ":");
    }

    public String url() {
        return url;
    }

    public String prefix() {
        return prefix;
    }

    @Override
    public void close() {
        RedisClient client = RedisClient.create(url);
        client.setDefaultTimeout(Duration.ofSeconds(5));
        try (StatefulRedisConnection<String, String> connection = client.connect()) {
            ScanCursor cursor = ScanCursor.INITIAL;
            do {
                KeyScanCursor<String> page = connection.sync().scan(cursor,
                        ScanArgs.Builder.matches(prefix + "*").limit(500));
                if (!page.getKeys().isEmpty()) {
                    connection.sync().del(page.getKeys().toArray(String[]::new));
                }
                cursor = page;
            } while (!cursor.isFinished());
        } catch (RuntimeException e) {
            // Redis not running: nothing can have been written under the prefix.
        } finally {
            client.shutdown();
        }
    }
}
