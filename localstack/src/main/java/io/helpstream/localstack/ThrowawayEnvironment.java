package io.helpstream.localstack;

import io.helpstream.localstack.kafka.BrokerProcess;
import io.helpstream.localstack.kafka.EmbeddedKafkaBroker;
import io.helpstream.localstack.kafka.EmbeddedKafkaSettings;
import io.helpstream.localstack.kafka.KafkaBroker;
import io.helpstream.localstack.kafka.KafkaExitGuard;
import io.helpstream.localstack.postgres.DatabaseUrl;
import io.helpstream.localstack.postgres.ThrowawayDatabase;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.utils.Utils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Everything one run of helpstream needs, created for a test, the crash test or a benchmark and removed after it: a
 * Kafka broker (in this JVM, or in one of its own), a {@link ThrowawayDatabase}, a {@link RedisKeyPrefix} and a
 * scratch directory. Closing removes them in reverse order; a cleanup that fails is logged and the others still run.
 *
 * <pre>{@code
 * try (ThrowawayEnvironment env = ThrowawayEnvironment.start(ThrowawayEnvironment.Settings.of("bench", 4))) {
 *     env.bootstrapServers(); env.database().url(); env.redis().prefix(); env.directory("state");
 * }
 * }</pre>
 */
public final class ThrowawayEnvironment implements AutoCloseable {

    /**
     * @param label      names the database, the key prefix and the scratch directory
     * @param partitions default partitions of the topics the broker creates
     * @param server     the PostgreSQL server to create the database on; empty: the one the application would find
     * @param redisUrl   the Redis to take the prefix on; empty: {@code REDIS_URL}, else 127.0.0.1:6379
     * @param keep       keep the database and the scratch directory for inspection
     * @param brokerInOwnProcess run the broker in a JVM of its own ({@link BrokerProcess}) instead of this one, so
     *                   that what is measured in this JVM does not include the broker's garbage collection
     */
    public record Settings(String label, int partitions, Optional<DatabaseUrl> server, Optional<String> redisUrl,
                           boolean keep, boolean brokerInOwnProcess) {
        public Settings {
            Objects.requireNonNull(label, "label");
            Objects.requireNonNull(server, "server");
            Objects.requireNonNull(redisUrl, "redisUrl");
            if (partitions < 1) {
                throw new IllegalArgumentException("partitions must be >= 1, was " + partitions);
            }
        }

        public Settings(String label, int partitions, Optional<DatabaseUrl> server, Optional<String> redisUrl,
                        boolean keep) {
            this(label, partitions, server, redisUrl, keep, false);
        }

        public Settings withBrokerInOwnProcess(boolean own) {
            return new Settings(label, partitions, server, redisUrl, keep, own);
        }

        /** The servers found as the application finds them; everything removed afterwards. */
        public static Settings of(String label, int partitions) {
            return new Settings(label, partitions, Optional.empty(), Optional.empty(), false);
        }
    }

    private static final Logger LOG = LoggerFactory.getLogger(ThrowawayEnvironment.class);
    private static final long ADMIN_TIMEOUT_SECONDS = 30;

    private static final Duration BROKER_PROCESS_START = Duration.ofMinutes(2);

    private final KafkaBroker broker;
    private final ThrowawayDatabase database;
    private final RedisKeyPrefix redis;
    private final Path scratch;
    private final String tag;
    /** What close() undoes, the last created first. */
    private final Deque<Cleanup> cleanups;

    /** One thing to undo, and what it is called in the log when it fails. */
    private record Cleanup(String what, Action action) {
    }

    private interface Action {
        void run() throws Exception;
    }

    private ThrowawayEnvironment(KafkaBroker broker, ThrowawayDatabase database, RedisKeyPrefix redis,
                                 Path scratch, String tag, Deque<Cleanup> cleanups) {
        this.broker = broker;
        this.database = database;
        this.redis = redis;
        this.scratch = scratch;
        this.tag = tag;
        this.cleanups = cleanups;
    }

    /** Starts the broker and creates the database, key prefix and scratch directory; undoes them if one fails. */
    public static ThrowawayEnvironment start(Settings settings) {
        Objects.requireNonNull(settings, "settings");
        String tag = UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        Deque<Cleanup> cleanups = new ArrayDeque<>();
        try {
            Path scratch = Files.createTempDirectory("helpstream-" + settings.label().toLowerCase(Locale.ROOT)
                    + "-");
            if (!settings.keep()) {
                cleanups.push(new Cleanup("delete " + scratch, () -> Utils.delete(scratch.toFile())));
            }
            KafkaBroker broker;
            if (settings.brokerInOwnProcess()) {
                broker = BrokerProcess.start(settings.partitions(), List.of(), scratch.resolve("broker.log"),
                        BROKER_PROCESS_START);
            } else {
                KafkaExitGuard.preventJvmExit();
                cleanups.push(new Cleanup("restore the JVM exit", KafkaExitGuard::restoreJvmExit));
                broker = EmbeddedKafkaBroker.start(EmbeddedKafkaSettings.defaults()
                        .withDefaultPartitions(settings.partitions()));
            }
            cleanups.push(new Cleanup("stop the Kafka broker", broker::close));
            ThrowawayDatabase.OnClose onClose = settings.keep() ? ThrowawayDatabase.OnClose.KEEP
                    : ThrowawayDatabase.OnClose.DROP;
            ThrowawayDatabase database = settings.server()
                    .map(server -> ThrowawayDatabase.on(server, settings.label(), onClose))
                    .orElseGet(() -> ThrowawayDatabase.create(settings.label(), onClose));
            cleanups.push(new Cleanup("drop database " + database.name(), database::close));
            RedisKeyPrefix redis = settings.redisUrl().map(url -> RedisKeyPrefix.on(url, settings.label()))
                    .orElseGet(() -> RedisKeyPrefix.create(settings.label()));
            cleanups.push(new Cleanup("delete the Redis keys under " + redis.prefix(), redis::close));
            LOG.info("Throwaway environment {}: Kafka {}, database {}, Redis prefix {}, scratch {}", tag,
                    broker.bootstrapServers(), database.name(), redis.prefix(), scratch);
            return new ThrowawayEnvironment(broker, database, redis, scratch, tag, cleanups);
        } catch (IOException e) {
            runAll(cleanups);
            throw new UncheckedIOException("cannot create a scratch directory", e);
        } catch (RuntimeException e) {
            runAll(cleanups);
            throw e;
        }
    }

    public String bootstrapServers() {
        return broker.bootstrapServers();
    }

    public ThrowawayDatabase database() {
        return database;
    }

    public RedisKeyPrefix redis() {
        return redis;
    }

    /** Unique to this environment: for topic names, application ids and conversation ids of its own. */
    public String tag() {
        return tag;
    }

    public Path scratch() {
        return scratch;
    }

    /** A directory under the scratch directory, created if missing. */
    public Path directory(String name) {
        try {
            return Files.createDirectories(scratch.resolve(name));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + scratch.resolve(name), e);
        }
    }

    /** Creates topics with the given partitions (one replica: there is one broker) and waits until they exist. */
    public void createTopics(int partitions, String... names) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers()))) {
            admin.createTopics(Stream.of(names).map(name -> new NewTopic(name, partitions, (short) 1)).toList())
                    .all().get(ADMIN_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot create topics " + String.join(", ", names) + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating topics", e);
        }
    }

    /** Removes the scratch directory, the key prefix's keys, the database and the broker, in that order. */
    @Override
    public synchronized void close() {
        runAll(cleanups);
    }

    private static void runAll(Deque<Cleanup> cleanups) {
        while (!cleanups.isEmpty()) {
            Cleanup cleanup = cleanups.pop();
            try {
                cleanup.action().run();
            } catch (Exception e) {
                LOG.warn("Could not {}: {}", cleanup.what(), e.toString());
            }
        }
    }

}
