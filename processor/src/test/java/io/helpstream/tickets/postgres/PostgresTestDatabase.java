package io.helpstream.tickets.postgres;

import io.helpstream.localstack.postgres.DatabaseUrl;
import io.helpstream.localstack.postgres.PostgresLocator;
import io.helpstream.localstack.postgres.ThrowawayDatabase;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
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
    private ThrowawayDatabase throwaway;
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
    public void beforeAll(ExtensionContext context) {
        // One locator for the whole run, so that an embedded server is started once and stopped at the end.
        PostgresLocator locator = context.getRoot().getStore(NAMESPACE).getOrComputeIfAbsent(PostgresLocator.class,
                key -> PostgresLocator.locate(PostgresLocator.Settings.defaults(configuredUrl())),
                PostgresLocator.class);
        throwaway = ThrowawayDatabase.on(locator.url(), "it", ThrowawayDatabase.OnClose.DROP);
        database = Database.open(settings().build(), meters);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        try {
            if (database != null) {
                database.close();
            }
        } finally {
            if (throwaway != null) {
                throwaway.close();
            }
        }
    }

    /** Settings for this class's database, to open further pools on it. */
    public DatabaseSettings.Builder settings() {
        DatabaseUrl url = throwaway.url();
        return DatabaseSettings.builder(url.jdbcUrl(), url.user(), url.password())
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
}
