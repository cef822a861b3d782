package io.helpstream.agent.openai;

import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.RedisClient;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.api.StatefulRedisConnection;
import java.time.Duration;
import java.util.UUID;

/** A random cache key prefix on the test Redis, whose keys are deleted (SCAN + DEL) afterwards. */
final class RedisPrefix implements AutoCloseable {

    private final String url;
    private final String prefix = "helpstream-openai-it-" + UUID.randomUUID() + ":";

    RedisPrefix() {
        String configured = System.getenv("REDIS_URL");
        this.url = configured == null || configured.isBlank() ? "redis://127.0.0.1:6379" : configured;
    }

    String url() {
        return url;
    }

    String prefix() {
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
            // Redis not running: the application ran without a cache and left no keys.
        } finally {
            client.shutdown();
        }
    }
}
