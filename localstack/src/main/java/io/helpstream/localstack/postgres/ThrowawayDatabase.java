package io.helpstream.localstack.postgres;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.Objects;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A database of its own, {@code helpstream_<label>_<random>}, on a PostgreSQL server that may be shared: created
 * empty, and dropped {@code WITH (FORCE)} on close (sessions still connected are ended) unless it is to be kept.
 *
 * <pre>{@code
 * try (ThrowawayDatabase db = ThrowawayDatabase.create("it", ThrowawayDatabase.OnClose.DROP)) {
 *     DatabaseUrl url = db.url();
 * }
 * }</pre>
 */
public final class ThrowawayDatabase implements AutoCloseable {

    /** What happens to the database on close. */
    public enum OnClose {
        DROP,
        /** Left for inspection; it is named in the log. */
        KEEP
    }

    private static final Logger LOG = LoggerFactory.getLogger(ThrowawayDatabase.class);

    private final DatabaseUrl server;
    private final String name;
    private final OnClose onClose;
    private final PostgresLocator ownedLocator;

    private ThrowawayDatabase(DatabaseUrl server, String name, OnClose onClose, PostgresLocator ownedLocator) {
        this.server = server;
        this.name = name;
        this.onClose = onClose;
        this.ownedLocator = ownedLocator;
    }

    /**
     * Creates the database on the server the application would find: {@code DATABASE_URL}, else 127.0.0.1:5432,
     * else an embedded PostgreSQL, which is stopped again on close.
     */
    public static ThrowawayDatabase create(String label, OnClose onClose) {
        PostgresLocator locator = PostgresLocator.locate(PostgresLocator.Settings.defaults(configuredUrl()));
        try {
            return create(locator.url(), label, onClose, locator);
        } catch (RuntimeException e) {
            locator.close();
            throw e;
        }
    }

    /**
     * Creates the database on the server of {@code server}, whose own database is used only to create and drop it.
     *
     * @throws IllegalStateException when the database cannot be created
     */
    public static ThrowawayDatabase on(DatabaseUrl server, String label, OnClose onClose) {
        return create(server, label, onClose, null);
    }

    private static ThrowawayDatabase create(DatabaseUrl server, String label, OnClose onClose,
                                            PostgresLocator ownedLocator) {
        Objects.requireNonNull(server, "server");
        Objects.requireNonNull(onClose, "onClose");
        String name = uniqueName(label);
        try {
            execute(server, "CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create database " + name + " on " + server + ": "
                    + e.getMessage(), e);
        }
        LOG.info("Created database {} on {}", name, server.hosts());
        return new ThrowawayDatabase(server, name, onClose, ownedLocator);
    }

    /** {@code helpstream_<label>_<12 hex digits>}: a plain identifier, so it needs no quoting. */
    static String uniqueName(String label) {
        String cleaned = Objects.requireNonNull(label, "label").toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "_");
        if (cleaned.isEmpty() || cleaned.length() > 30) {
            throw new IllegalArgumentException("label must have 1 to 30 letters or digits, was '" + label + "'");
        }
        return "helpstream_" + cleaned + "_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    }

    /** This database, with the server's credentials. */
    public DatabaseUrl url() {
        return server.withDatabase(name);
    }

    /** The server's own database: for statements that must not run inside this one (statistics, admin). */
    public DatabaseUrl server() {
        return server;
    }

    public String name() {
        return name;
    }

    /** A new connection to this database. */
    public Connection connect() throws SQLException {
        return connect(url());
    }

    /**
     * Drops the database unless it is kept, then stops an embedded server started for it.
     *
     * @throws IllegalStateException when the database could not be dropped
     */
    @Override
    public void close() {
        try {
            if (onClose == OnClose.KEEP) {
                LOG.info("Kept database {} ({})", name, url());
                return;
            }
            execute(server, "DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
            LOG.info("Dropped database {}", name);
        } catch (SQLException e) {
            throw new IllegalStateException("could not drop database " + name + ": " + e.getMessage(), e);
        } finally {
            if (ownedLocator != null) {
                ownedLocator.close();
            }
        }
    }

    private static DatabaseUrl configuredUrl() {
        String value = System.getenv("DATABASE_URL");
        return value == null || value.isBlank() ? null : DatabaseUrl.parse(value);
    }

    private static void execute(DatabaseUrl server, String sql) throws SQLException {
        try (Connection connection = connect(server); Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    private static Connection connect(DatabaseUrl url) throws SQLException {
        return DriverManager.getConnection(url.jdbcUrl(), url.user(), url.password());
    }
}
