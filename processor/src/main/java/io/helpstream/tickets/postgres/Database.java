package io.helpstream.tickets.postgres;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.metrics.micrometer.MicrometerMetricsTrackerFactory;
import io.helpstream.tickets.SupportRepositoryException;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Objects;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.sqlobject.SqlObjectPlugin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The support database, ready to use: a HikariCP pool, the schema migrated by Flyway, optionally the sample data,
 * and the {@link SupportRepository} on top. Closing it closes the pool.
 */
public final class Database implements AutoCloseable {

    /** Name of the pool, also the {@code pool} tag of its {@code hikaricp.*} metrics. */
    public static final String POOL_NAME = "helpstream";

    private static final Logger LOG = LoggerFactory.getLogger(Database.class);

    private final HikariDataSource pool;
    private final Jdbi jdbi;
    private final PostgresSupportRepository repository;

    private Database(HikariDataSource pool) {
        this.pool = pool;
        this.jdbi = createJdbi(pool);
        this.repository = new PostgresSupportRepository(jdbi);
    }

    /** Opens without pool metrics. */
    public static Database open(DatabaseSettings settings) {
        return open(settings, null);
    }

    /**
     * Connects, migrates and (if the settings ask) loads the sample data.
     *
     * @param meters where the pool's metrics go; null for none
     * @throws SupportRepositoryException when the database cannot be reached or migrated
     */
    public static Database open(DatabaseSettings settings, MeterRegistry meters) {
        Objects.requireNonNull(settings, "settings");
        HikariDataSource pool;
        try {
            pool = new HikariDataSource(poolConfig(settings, meters));
        } catch (RuntimeException e) {
            throw new SupportRepositoryException("could not connect to the support database at "
                    + settings.location(), e);
        }
        try {
            migrate(pool);
            Database database = new Database(pool);
            if (settings.sampleData()) {
                SampleData.load(database.jdbi);
            }
            return database;
        } catch (RuntimeException e) {
            pool.close();
            throw e instanceof SupportRepositoryException ? e
                    : new SupportRepositoryException("could not migrate the support database at "
                    + settings.location(), e);
        }
    }

    /** A Jdbi over the data source with the SQL object support the repository needs. */
    public static Jdbi createJdbi(DataSource dataSource) {
        return Jdbi.create(Objects.requireNonNull(dataSource, "dataSource")).installPlugin(new SqlObjectPlugin());
    }

    public Jdbi jdbi() {
        return jdbi;
    }

    public PostgresSupportRepository repository() {
        return repository;
    }

    /** The token counts of the tokens-per-customer-per-day budget, in the same database. */
    public PostgresTokenLedger tokenLedger() {
        return new PostgresTokenLedger(jdbi);
    }

    public DataSource dataSource() {
        return pool;
    }

    @Override
    public void close() {
        pool.close();
    }

    private static HikariConfig poolConfig(DatabaseSettings settings, MeterRegistry meters) {
        HikariConfig config = new HikariConfig();
        config.setPoolName(POOL_NAME);
        config.setJdbcUrl(settings.jdbcUrl());
        config.setUsername(settings.user());
        config.setPassword(settings.password());
        config.setMinimumIdle(settings.minIdle());
        config.setMaximumPoolSize(settings.maxPoolSize());
        config.setConnectionTimeout(settings.connectionTimeout().toMillis());
        // No call may hang on the database: the server cancels slow statements and lock waits, the driver gives up on
        // a server that went silent. Parameters in the JDBC URL itself take precedence over these.
        config.addDataSourceProperty("connectTimeout", DatabaseSettings.wholeSeconds(settings.connectTimeout()));
        config.addDataSourceProperty("socketTimeout", DatabaseSettings.wholeSeconds(settings.socketTimeout()));
        config.addDataSourceProperty("options", settings.sessionOptions());
        if (meters != null) {
            config.setMetricsTrackerFactory(new MicrometerMetricsTrackerFactory(meters));
        }
        return config;
    }

    private static void migrate(DataSource dataSource) {
        MigrateResult result = Flyway.configure()
                .dataSource(dataSource)
                .locations("classpath:db/migration")
                .failOnMissingLocations(true)
                .load()
                .migrate();
        LOG.info("Support database schema at version {} ({} migrations applied)", result.targetSchemaVersion,
                result.migrationsExecuted);
    }
}
