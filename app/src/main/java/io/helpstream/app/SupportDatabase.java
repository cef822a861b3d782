package io.helpstream.app;

import io.helpstream.config.HelpstreamConfig;
import io.helpstream.localstack.postgres.DatabaseUrl;
import io.helpstream.localstack.postgres.PostgresLocator;
import io.helpstream.tickets.postgres.Database;
import io.helpstream.tickets.postgres.DatabaseSettings;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The support database of a configuration: the one {@code DATABASE_URL} names, or a database of helpstream's own on
 * the local (or an embedded) server; with the pool and timeouts configured. Closing closes the pool, and the embedded
 * server if one was started.
 */
public final class SupportDatabase implements AutoCloseable {

    private final PostgresLocator postgres;
    private final Database database;

    private SupportDatabase(PostgresLocator postgres, Database database) {
        this.postgres = postgres;
        this.database = database;
    }

    /**
     * @param registry   where the pool's metrics go; null for none
     * @param sampleData load the sample customers and tickets
     */
    public static SupportDatabase open(HelpstreamConfig config, MeterRegistry registry, boolean sampleData) {
        PostgresLocator postgres = PostgresLocator.locate(
                PostgresLocator.Settings.defaults(config.database().orElse(null)));
        try {
            DatabaseUrl url = postgres.ownDatabase("helpstream");
            HelpstreamConfig.PoolSettings pool = config.databasePool();
            return new SupportDatabase(postgres, Database.open(DatabaseSettings.builder(url.jdbcUrl(), url.user(),
                            url.password())
                    .minIdle(pool.minIdle()).maxPoolSize(pool.maxSize()).connectionTimeout(pool.connectionTimeout())
                    .connectTimeout(pool.connectTimeout()).socketTimeout(pool.socketTimeout())
                    .statementTimeout(pool.statementTimeout()).lockTimeout(pool.lockTimeout())
                    .sampleData(sampleData).build(), registry));
        } catch (RuntimeException e) {
            postgres.close();
            throw e;
        }
    }

    public Database database() {
        return database;
    }

    @Override
    public void close() {
        try {
            database.close();
        } finally {
            postgres.close();
        }
    }
}
