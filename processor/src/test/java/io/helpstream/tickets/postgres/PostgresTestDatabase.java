package io.helpstream.tickets.postgres;

import io.helpstream.localstack.postgres.DatabaseUrl;
import io.helpstream.localstack.postgres.PostgresLocator;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Properties;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A fresh, migrated database for one test class, on the server the application would find ({@code DATABASE_URL},
 * else 127.0.0.1:5432, else an embedded PostgreSQL shared by the whole run). Dropped after the class.
 *
 * <pre>{@code @RegisterExtension static final PostgresTestDatabase DB = PostgresTestDatabase.withSampleData();}</pre>
 */
public final class PostgresTestDatabase implements BeforeAllCallback, AfterAllCallback {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(
            PostgresTestDatabase.class);

    private final boolean sampleData;
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private DatabaseUrl server;
    private String name;
    private Database database;

    private PostgresTestDatabase(boolean sampleData) {
        this.sampleData = sampleData;
    }

    public static PostgresTestDatabase empty() {
        return new PostgresTestDatabase(false);
    }

    public static PostgresTestDatabase withSampleData() {
        return new PostgresTestDatabase(true);
    }

    @Override
    public void beforeAll(ExtensionContext context) throws SQLException {
        PostgresLocator locator = context.getRoot().getStore(NAMESPACE).getOrComputeIfAbsent(PostgresLocator.class,
                key -> PostgresLocator.locate(PostgresLocator.Settings.defaults(configuredUrl())),
                PostgresLocator.class);
        server = locator.url();
        name = "helpstream_it_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        admin("CREATE DATABASE " + name);
        database = Database.open(settings().build(), meters);
    }

    @Override
    public void afterAll(ExtensionContext context) throws SQLException {
        if (database != null) {
            database.close();
        }
        if (name != null) {
            admin("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
        }
    }

    /** Settings for this class's database, to open further pools on it. */
    public DatabaseSettings.Builder settings() {
        return DatabaseSettings.builder(server.withDatabase(name).jdbcUrl(), server.user(), server.password())
                .maxPoolSize(10)
                .connectionTimeout(Duration.ofSeconds(30))
                .sampleData(sampleData);
    }

    public Database database() {
        return database;
    }

    public Jdbi jdbi() {
        return database.jdbi();
    }

    public PostgresSupportRepository repository() {
        return database.repository();
    }

    public SimpleMeterRegistry meters() {
        return meters;
    }

    private static DatabaseUrl configuredUrl() {
        String value = System.getenv("DATABASE_URL");
        return value == null || value.isBlank() ? null : DatabaseUrl.parse(value);
    }

    private void admin(String sql) throws SQLException {
        Properties credentials = new Properties();
        if (server.user() != null) {
            credentials.setProperty("user", server.user());
        }
        if (server.password() != null) {
            credentials.setProperty("password", server.password());
        }
        try (Connection connection = DriverManager.getConnection(server.jdbcUrl(), credentials);
             Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }
}
