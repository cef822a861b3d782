package io.helpstream.app;

import io.helpstream.localstack.kafka.EmbeddedKafkaBroker;
import io.helpstream.localstack.kafka.EmbeddedKafkaSettings;
import io.helpstream.localstack.kafka.KafkaExitGuard;
import io.helpstream.tickets.cache.TestRedis;
import io.helpstream.tickets.postgres.DatabaseSettings;
import io.helpstream.tickets.postgres.PostgresTestDatabase;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * What helpstream needs to run, for one test class: an in-process Kafka broker, a fresh PostgreSQL database with the
 * sample data, a Redis key prefix of its own and a temporary directory for local state. All of it is removed after
 * the class.
 *
 * <pre>{@code
 * @RegisterExtension static final RunningHelpstream HELPSTREAM = new RunningHelpstream();
 * Deployment deployment = HELPSTREAM.deployment();
 * Application app = deployment.start();
 * }</pre>
 */
final class RunningHelpstream implements BeforeAllCallback, AfterAllCallback {

    private final PostgresTestDatabase database = PostgresTestDatabase.withSampleData();
    private final List<Deployment> deployments = new ArrayList<>();
    private EmbeddedKafkaBroker broker;
    private TestRedis redis;
    private Path stateRoot;

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        KafkaExitGuard.preventJvmExit();
        broker = EmbeddedKafkaBroker.start(EmbeddedKafkaSettings.defaults());
        database.beforeAll(context);
        redis = new TestRedis(TestRedis.sharedUrl());
        stateRoot = Files.createTempDirectory("helpstream-it-state");
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        try {
            deployments.forEach(Deployment::close);
            if (redis != null) {
                redis.close();
            }
            if (broker != null) {
                broker.close();
            }
            database.afterAll(context);
            if (stateRoot != null) {
                deleteTree(stateRoot);
            }
        } finally {
            KafkaExitGuard.restoreJvmExit();
        }
    }

    /**
     * A new helpstream deployment on this broker, database and Redis prefix, with topics and an application id no
     * other deployment of the class uses.
     */
    Deployment deployment() {
        return deployment(Map.of());
    }

    /** Like {@link #deployment()}, with some environment variables set or replaced. */
    Deployment deployment(Map<String, String> overrides) {
        Deployment deployment = new Deployment(environment(overrides), stateRoot);
        deployments.add(deployment);
        return deployment;
    }

    String bootstrapServers() {
        return broker.bootstrapServers();
    }

    Jdbi jdbi() {
        return database.jdbi();
    }

    TestRedis redis() {
        return redis;
    }

    private Map<String, String> environment(Map<String, String> overrides) {
        String run = UUID.randomUUID().toString().substring(0, 8);
        DatabaseSettings db = database.settings().build();
        Map<String, String> env = new HashMap<>();
        env.put("KAFKA_BOOTSTRAP_SERVERS", broker.bootstrapServers());
        env.put("HELPSTREAM_APPLICATION_ID", "helpstream-it-" + run);
        env.put("HELPSTREAM_TOPIC_CUSTOMER_MESSAGES", "it-" + run + ".customer-messages");
        env.put("HELPSTREAM_TOPIC_AGENT_REPLIES", "it-" + run + ".agent-replies");
        env.put("HELPSTREAM_TOPIC_TICKET_EVENTS", "it-" + run + ".ticket-events");
        env.put("HELPSTREAM_TOPIC_CONVERSATION_EVENTS", "it-" + run + ".conversation-events");
        env.put("HELPSTREAM_TOPIC_DEAD_LETTERS", "it-" + run + ".dead-letters");
        env.put("HELPSTREAM_TOPIC_VERIFICATION_REQUESTS", "it-" + run + ".verification-requests");
        env.put("HELPSTREAM_TOPIC_AUDIT", "it-" + run + ".audit");
        env.put("HELPSTREAM_TOPIC_HANDOFFS", "it-" + run + ".handoffs");
        env.put("HELPSTREAM_TOPIC_AGENT_ACTIONS", "it-" + run + ".agent-actions");
        env.put("HELPSTREAM_PARTITIONS", "2");
        env.put("DATABASE_URL", db.jdbcUrl());
        if (db.user() != null) {
            env.put("DATABASE_USER", db.user());
        }
        if (db.password() != null) {
            env.put("DATABASE_PASSWORD", db.password());
        }
        env.put("REDIS_URL", TestRedis.sharedUrl());
        env.put("HELPSTREAM_CACHE_PREFIX", redis.prefix());
        env.put("HELPSTREAM_SAMPLE_DATA", "true");
        env.put("HELPSTREAM_COMMIT_INTERVAL", "100ms");
        env.put("HELPSTREAM_MODEL", "offline");
        env.putAll(overrides);
        return Map.copyOf(env);
    }

    static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }
}
