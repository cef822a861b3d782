package io.helpstream.harness;

import io.helpstream.localstack.kafka.EmbeddedKafkaBroker;
import io.helpstream.localstack.kafka.EmbeddedKafkaSettings;
import io.helpstream.localstack.kafka.KafkaExitGuard;
import io.helpstream.localstack.postgres.DatabaseUrl;
import io.helpstream.localstack.postgres.PostgresLocator;
import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.RedisClient;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.api.StatefulRedisConnection;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the processor runs against, owned by the harness so it outlives every kill: a Kafka broker in this JVM, a
 * PostgreSQL database and a Redis key prefix. Closing drops the database it created (unless kept) and deletes the
 * prefix's keys.
 */
final class TestBed implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(TestBed.class);

    private final EmbeddedKafkaBroker broker;
    private final DatabaseUrl database;
    private final DatabaseUrl server;
    private final String createdDatabase;
    private final String redisUrl;
    private final String cachePrefix;
    private final boolean keep;

    private TestBed(EmbeddedKafkaBroker broker, DatabaseUrl database, DatabaseUrl server, String createdDatabase,
                    String redisUrl, String cachePrefix, boolean keep) {
        this.broker = broker;
        this.database = database;
        this.server = server;
        this.createdDatabase = createdDatabase;
        this.redisUrl = redisUrl;
        this.cachePrefix = cachePrefix;
        this.keep = keep;
    }

    static TestBed start(String runId, int partitions, Optional<String> databaseUrl, Optional<String> redisUrl,
                         boolean keep) throws SQLException {
        KafkaExitGuard.preventJvmExit();
        EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(EmbeddedKafkaSettings.defaults()
                .withDefaultPartitions(partitions));
        try {
            String redis = redisUrl.orElse("redis://127.0.0.1:6379");
            String prefix = "helpstream-crash-" + runId + ":";
            if (databaseUrl.isPresent()) {
                DatabaseUrl given = DatabaseUrl.parse(databaseUrl.get());
                return new TestBed(broker, given, given, null, redis, prefix, keep);
            }
            DatabaseUrl server;
            try (PostgresLocator locator = PostgresLocator.locate(PostgresLocator.Settings.defaults(null))) {
                if (locator.source() == PostgresLocator.Source.EMBEDDED) {
                    throw new IllegalStateException("no PostgreSQL on 127.0.0.1:5432; set DATABASE_URL");
                }
                server = locator.url();
            }
            String name = "helpstream_crash_" + runId.replace("-", "_");
            execute(server, "CREATE DATABASE " + name);
            log.info("Created database {}", name);
            return new TestBed(broker, server.withDatabase(name), server, name, redis, prefix, keep);
        } catch (RuntimeException | SQLException e) {
            broker.close();
            throw e;
        }
    }

    String bootstrapServers() {
        return broker.bootstrapServers();
    }

    DatabaseUrl database() {
        return database;
    }

    String redisUrl() {
        return redisUrl;
    }

    String cachePrefix() {
        return cachePrefix;
    }

    Connection connect() throws SQLException {
        return DriverManager.getConnection(database.jdbcUrl(), database.user(), database.password());
    }

    @Override
    public void close() {
        try {
            deleteCacheKeys();
        } catch (RuntimeException e) {
            log.warn("Could not delete the cache keys under {}: {}", cachePrefix, e.toString());
        }
        if (createdDatabase != null) {
            if (keep) {
                log.info("Kept database {} ({})", createdDatabase, database);
            } else {
                try {
                    execute(server, "DROP DATABASE IF EXISTS " + createdDatabase + " WITH (FORCE)");
                } catch (SQLException e) {
                    log.warn("Could not drop database {}: {}", createdDatabase, e.getMessage());
                }
            }
        }
        broker.close();
        KafkaExitGuard.restoreJvmExit();
    }

    /** SCAN and DEL under the run's prefix only: the server may be shared. */
    private void deleteCacheKeys() {
        RedisClient client = RedisClient.create(redisUrl);
        client.setDefaultTimeout(Duration.ofSeconds(5));
        try (StatefulRedisConnection<String, String> connection = client.connect()) {
            ScanCursor cursor = ScanCursor.INITIAL;
            do {
                KeyScanCursor<String> page = connection.sync().scan(cursor,
                        ScanArgs.Builder.matches(cachePrefix + "*").limit(500));
                if (!page.getKeys().isEmpty()) {
                    connection.sync().del(page.getKeys().toArray(String[]::new));
                }
                cursor = page;
            } while (!cursor.isFinished());
        } finally {
            client.shutdown();
        }
    }

    private static void execute(DatabaseUrl server, String sql) throws SQLException {
        try (Connection connection = DriverManager.getConnection(server.jdbcUrl(), server.user(), server.password());
             Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }
}
