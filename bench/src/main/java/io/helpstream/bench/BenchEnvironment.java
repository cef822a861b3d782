package io.helpstream.bench;

import io.helpstream.localstack.kafka.EmbeddedKafkaBroker;
import io.helpstream.localstack.kafka.EmbeddedKafkaSettings;
import io.helpstream.kafka.TopicCreator;
import io.helpstream.kafka.TopicSpec;
import io.helpstream.localstack.postgres.DatabaseUrl;
import io.helpstream.localstack.postgres.PostgresLocator;
import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.RedisClient;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.api.StatefulRedisConnection;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What every benchmark runs against, created for one run and removed after it: an in-process Kafka broker, a
 * database of its own on the local PostgreSQL, a random Redis key prefix and a scratch directory.
 */
final class BenchEnvironment implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(BenchEnvironment.class);

    private final EmbeddedKafkaBroker broker;
    private final DatabaseUrl server;
    private final String databaseName;
    private final String redisUrl;
    private final String redisPrefix;
    private final Path scratch;
    private final String tag;

    private BenchEnvironment(EmbeddedKafkaBroker broker, DatabaseUrl server, String databaseName, String redisUrl,
                             Path scratch, String tag) {
        this.broker = broker;
        this.server = server;
        this.databaseName = databaseName;
        this.redisUrl = redisUrl;
        this.redisPrefix = "helpstream-bench-" + tag + ":";
        this.scratch = scratch;
        this.tag = tag;
    }

    /**
     * @param partitions default partitions of topics the broker creates
     * @param redisUrl   the Redis to cache in ({@code redis://127.0.0.1:6379} on this machine)
     */
    static BenchEnvironment start(int partitions, String redisUrl) throws IOException, SQLException {
        String tag = UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        Path scratch = Files.createTempDirectory("helpstream-bench-");
        PostgresLocator postgres = PostgresLocator.locate(PostgresLocator.Settings.defaults(configuredDatabase()));
        if (postgres.source() == PostgresLocator.Source.EMBEDDED) {
            postgres.close();
            throw new IllegalStateException("no PostgreSQL answers on 127.0.0.1:5432 and DATABASE_URL is not set");
        }
        String databaseName = "helpstream_bench_" + tag;
        admin(postgres.url(), "CREATE DATABASE " + databaseName);
        EmbeddedKafkaBroker broker;
        try {
            broker = EmbeddedKafkaBroker.start(EmbeddedKafkaSettings.defaults().withDefaultPartitions(partitions));
        } catch (RuntimeException e) {
            admin(postgres.url(), "DROP DATABASE IF EXISTS " + databaseName + " WITH (FORCE)");
            throw e;
        }
        log.info("Benchmark environment: broker {}, database {}, Redis prefix helpstream-bench-{}:",
                broker.bootstrapServers(), databaseName, tag);
        return new BenchEnvironment(broker, postgres.url(), databaseName, redisUrl, scratch, tag);
    }

    private static DatabaseUrl configuredDatabase() {
        String value = System.getenv("DATABASE_URL");
        return value == null || value.isBlank() ? null : DatabaseUrl.parse(value);
    }

    String bootstrapServers() {
        return broker.bootstrapServers();
    }

    /** The bench database, for the processor's {@code DATABASE_URL}. */
    DatabaseUrl database() {
        return server.withDatabase(databaseName);
    }

    String databaseName() {
        return databaseName;
    }

    String redisUrl() {
        return redisUrl;
    }

    /** Every cache key of this run starts with it; all are deleted on close. */
    String redisPrefix() {
        return redisPrefix;
    }

    /** Unique to this run: names topics, application ids and conversations. */
    String tag() {
        return tag;
    }

    /** A fresh directory under this run's scratch directory. */
    Path directory(String name) throws IOException {
        return Files.createDirectories(scratch.resolve(name));
    }

    void createTopics(int partitions, String... names) {
        List<TopicSpec> specs = Stream.of(names).map(name -> TopicSpec.of(name, partitions, (short) 1)).toList();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers()))) {
            new TopicCreator(admin, Duration.ofSeconds(30)).ensureTopics(specs);
        }
    }

    /** Committed transactions of the bench database so far (one per autocommit statement). */
    long committedTransactions() throws SQLException {
        try (Connection connection = connect(server);
             Statement clear = connection.createStatement();
             PreparedStatement query = connection.prepareStatement(
                     "SELECT xact_commit FROM pg_stat_database WHERE datname = ?")) {
            clear.execute("SELECT pg_stat_clear_snapshot()");
            query.setString(1, databaseName);
            try (ResultSet rows = query.executeQuery()) {
                if (!rows.next()) {
                    throw new IllegalStateException("no statistics for database " + databaseName);
                }
                return rows.getLong(1);
            }
        }
    }

    @Override
    public void close() {
        try {
            broker.close();
        } catch (RuntimeException e) {
            log.warn("Could not stop the broker: {}", e.toString());
        }
        try {
            admin(server, "DROP DATABASE IF EXISTS " + databaseName + " WITH (FORCE)");
        } catch (SQLException e) {
            log.warn("Could not drop database {}: {}", databaseName, e.toString());
        }
        deleteRedisKeys();
        deleteTree(scratch);
    }

    private void deleteRedisKeys() {
        RedisClient client = RedisClient.create(redisUrl);
        try (StatefulRedisConnection<String, String> connection = client.connect()) {
            List<String> keys = new ArrayList<>();
            ScanCursor cursor = ScanCursor.INITIAL;
            ScanArgs match = ScanArgs.Builder.matches(redisPrefix + "*").limit(1000);
            do {
                KeyScanCursor<String> page = connection.sync().scan(cursor, match);
                keys.addAll(page.getKeys());
                cursor = page;
            } while (!cursor.isFinished());
            if (!keys.isEmpty()) {
                connection.sync().del(keys.toArray(String[]::new));
            }
        } catch (RuntimeException e) {
            log.warn("Could not delete the Redis keys under {}: {}", redisPrefix, e.toString());
        } finally {
            client.shutdown();
        }
    }

    static void deleteTree(Path root) {
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            log.warn("Could not delete {}: {}", root, e.toString());
        }
    }

    private static void admin(DatabaseUrl url, String sql) throws SQLException {
        try (Connection connection = connect(url); Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    private static Connection connect(DatabaseUrl url) throws SQLException {
        Properties credentials = new Properties();
        if (url.user() != null) {
            credentials.setProperty("user", url.user());
        }
        if (url.password() != null) {
            credentials.setProperty("password", url.password());
        }
        return DriverManager.getConnection(url.jdbcUrl(), credentials);
    }
}
