package io.helpstream.tickets.cache;

import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * A customer's right to be forgotten, in the cache: every entry under the prefix whose value names the email (a
 * profile, a ticket list) is deleted, and the customer's own key too (computable only with the deployment's
 * {@code HELPSTREAM_CACHE_KEY_SECRET}; without one each process's keys are its own, which the scan of the values
 * covers). The keys themselves are HMACs and tell nothing.
 */
public final class CacheErasure {

    private static final int SCAN_BATCH = 500;

    private final CacheSettings settings;

    public CacheErasure(CacheSettings settings) {
        this.settings = Objects.requireNonNull(settings, "settings");
    }

    /** Deletes the entries; returns how many there were. */
    public int erase(String email) {
        String normal = Objects.requireNonNull(email, "email").strip().toLowerCase(Locale.ROOT);
        RedisClient client = RedisClient.create(RedisURI.create(settings.redisUrl()));
        try (StatefulRedisConnection<String, String> connection = client.connect()) {
            connection.setTimeout(settings.commandTimeout());
            RedisCommands<String, String> redis = connection.sync();
            List<String> doomed = new ArrayList<>();
            if (settings.keySecret().isPresent()) {
                doomed.add(settings.keyPrefix() + CacheKeys.of(settings).customer(normal));
            }
            ScanArgs match = ScanArgs.Builder.matches(escape(settings.keyPrefix()) + "*").limit(SCAN_BATCH);
            KeyScanCursor<String> cursor = redis.scan(match);
            while (true) {
                for (String key : cursor.getKeys()) {
                    String value = redis.get(key);
                    if (value != null && value.toLowerCase(Locale.ROOT).contains(normal)) {
                        doomed.add(key);
                    }
                }
                if (cursor.isFinished()) {
                    break;
                }
                cursor = redis.scan(cursor, match);
            }
            return doomed.isEmpty() ? 0 : redis.del(doomed.stream().distinct().toArray(String[]::new)).intValue();
        } finally {
            client.shutdown();
        }
    }

    /** The prefix as a literal in a SCAN pattern. */
    private static String escape(String prefix) {
        return prefix.replaceAll("([*?\\[\\]\\\\])", "\\\\$1");
    }
}
