package io.helpstream.localstack;

import static io.helpstream.localstack.postgres.ServerQueries.databaseExists;
import static io.helpstream.localstack.postgres.ServerQueries.execute;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.helpstream.localstack.postgres.DatabaseUrl;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.TopicDescription;
import org.junit.jupiter.api.Test;

/** Broker, database, key prefix and scratch directory for one run, against the machine's PostgreSQL and Redis. */
class ThrowawayEnvironmentIT {

    private static final String REDIS = "redis://127.0.0.1:6379";

    @Test
    void should_provide_everything_while_open_and_remove_it_all_on_close() throws Exception {
        ThrowawayEnvironment env = ThrowawayEnvironment.start(settings(false));
        String key;
        Path file;
        try {
            env.createTopics(3, "it.in", "it.out");
            try (Admin admin = admin(env.bootstrapServers())) {
                Map<String, TopicDescription> topics = admin.describeTopics(Set.of("it.in", "it.out"))
                        .allTopicNames().get(30, TimeUnit.SECONDS);
                assertThat(topics.values()).allSatisfy(topic -> assertThat(topic.partitions()).hasSize(3));
            }
            assertThat(databaseExists(env.database().server(), env.database().name())).isTrue();
            key = env.redis().prefix() + "customer:1";
            withRedis(redis -> redis.sync().set(key, "cached"));
            file = Files.writeString(env.directory("state").resolve("data"), "x");
            assertThat(file).startsWith(env.scratch());
        } finally {
            env.close();
        }

        assertThat(databaseExists(env.database().server(), env.database().name())).isFalse();
        withRedis(redis -> assertThat(redis.sync().exists(key)).isZero());
        assertThat(env.scratch()).doesNotExist();
        assertThatThrownBy(env::bootstrapServers).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void should_keep_the_database_and_the_scratch_directory_when_asked() throws Exception {
        ThrowawayEnvironment env = ThrowawayEnvironment.start(settings(true));
        DatabaseUrl server = env.database().server();
        String name = env.database().name();
        try {
            Files.writeString(env.directory("logs").resolve("helpstream.log"), "kept");
            env.close();

            assertThat(databaseExists(server, name)).isTrue();
            assertThat(env.scratch().resolve("logs/helpstream.log")).hasContent("kept");
        } finally {
            execute(server, "DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
            deleteTree(env.scratch());
        }
    }

    @Test
    void should_go_on_cleaning_up_when_one_cleanup_fails() throws Exception {
        ThrowawayEnvironment env = ThrowawayEnvironment.start(settings(false));
        DatabaseUrl server = env.database().server();
        String name = env.database().name();
        String key = env.redis().prefix() + "k";
        withRedis(redis -> redis.sync().set(key, "v"));
        // PostgreSQL refuses to drop a template database.
        execute(server, "ALTER DATABASE " + name + " IS_TEMPLATE true");
        try {
            env.close();

            assertThat(databaseExists(server, name)).isTrue();
            withRedis(redis -> assertThat(redis.sync().exists(key)).isZero());
            assertThat(env.scratch()).doesNotExist();
            assertThatThrownBy(env::bootstrapServers).isInstanceOf(IllegalStateException.class);
        } finally {
            execute(server, "ALTER DATABASE " + name + " IS_TEMPLATE false");
            execute(server, "DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
        }
    }

    private static ThrowawayEnvironment.Settings settings(boolean keep) {
        return new ThrowawayEnvironment.Settings("it-env", 1, Optional.empty(), Optional.of(REDIS), keep);
    }

    private static Admin admin(String bootstrap) {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap));
    }

    private interface RedisUse {
        void accept(StatefulRedisConnection<String, String> connection);
    }

    private static void withRedis(RedisUse use) {
        RedisClient client = RedisClient.create(REDIS);
        try (StatefulRedisConnection<String, String> connection = client.connect()) {
            use.accept(connection);
        } finally {
            client.shutdown();
        }
    }

    private static void deleteTree(Path root) throws IOException {
        if (Files.exists(root)) {
            try (Stream<Path> paths = Files.walk(root)) {
                for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(path);
                }
            }
        }
    }
}
