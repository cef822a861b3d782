package io.helpstream.localstack;

import static org.assertj.core.api.Assertions.assertThat;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.util.UUID;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A key prefix on the machine's Redis, which other builds share: only the prefix's keys may go. */
class RedisKeyPrefixIT {

    private RedisClient client;
    private StatefulRedisConnection<String, String> connection;
    private final String outside = "helpstream-it-outside-" + UUID.randomUUID();

    @BeforeEach
    void connect() {
        client = RedisClient.create("redis://127.0.0.1:6379");
        connection = client.connect();
    }

    @AfterEach
    void disconnect() {
        connection.sync().del(outside);
        connection.close();
        client.shutdown();
    }

    @Test
    void should_delete_the_keys_under_the_prefix_and_leave_the_others() {
        RedisCommands<String, String> redis = connection.sync();
        RedisKeyPrefix prefix = RedisKeyPrefix.on("redis://127.0.0.1:6379", "it");
        // More than one SCAN page.
        String[] under = IntStream.range(0, 1200).mapToObj(i -> prefix.prefix() + "key-" + i)
                .toArray(String[]::new);
        for (String key : under) {
            redis.set(key, "v");
        }
        redis.set(outside, "kept");
        // Shares the prefix's text but not its separator: not under the prefix.
        String lookalike = prefix.prefix().substring(0, prefix.prefix().length() - 1) + "-other";
        redis.set(lookalike, "kept");

        try {
            prefix.close();

            assertThat(redis.exists(under)).isZero();
            assertThat(redis.get(outside)).isEqualTo("kept");
            assertThat(redis.get(lookalike)).isEqualTo("kept");
        } finally {
            redis.del(lookalike);
        }
    }

    @Test
    void should_name_the_prefix_after_its_label_and_make_it_unique() {
        RedisKeyPrefix first = RedisKeyPrefix.on("redis://127.0.0.1:6379", "it");
        RedisKeyPrefix second = RedisKeyPrefix.on("redis://127.0.0.1:6379", "it");

        assertThat(first.prefix()).startsWith("helpstream-it-").endsWith(":").isNotEqualTo(second.prefix());
    }
}
