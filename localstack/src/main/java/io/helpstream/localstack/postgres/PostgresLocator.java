package io.helpstream.localstack.postgres;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds a PostgreSQL server: the configured URL if there is one; else a server on the local port; else, unless
 * running as root (initdb refuses root), an embedded PostgreSQL started for this process. Closing stops the embedded
 * server, if one was started.
 */
public final class PostgresLocator implements AutoCloseable {

    public enum Source { CONFIGURED, LOCAL, EMBEDDED }

    /**
     * @param configured   the parsed {@code DATABASE_URL}; null when not set
     * @param localHost    where to look for a running server
     * @param localPort    its port
     * @param probeTimeout how long to wait for it to accept a connection
     * @param user         user for the local server (an embedded one has only {@code postgres})
     * @param database     database on the local server (an embedded one has only {@code postgres})
     */
    public record Settings(DatabaseUrl configured, String localHost, int localPort, Duration probeTimeout,
                           String user, String database) {
        public Settings {
            Objects.requireNonNull(localHost, "localHost");
            Objects.requireNonNull(probeTimeout, "probeTimeout");
            Objects.requireNonNull(user, "user");
            Objects.requireNonNull(database, "database");
            if (localPort < 1 || localPort > 65535) {
                throw new IllegalArgumentException("localPort must be within 1..65535 but was " + localPort);
            }
        }

        /** 127.0.0.1:5432, user and database {@code postgres}, half a second to answer. */
        public static Settings defaults(DatabaseUrl configured) {
            return new Settings(configured, "127.0.0.1", 5432, Duration.ofMillis(500), "postgres", "postgres");
        }
    }

    private static final Logger LOG = LoggerFactory.getLogger(PostgresLocator.class);

    private final DatabaseUrl url;
    private final Source source;
    private final EmbeddedPostgres embedded;

    private PostgresLocator(DatabaseUrl url, Source source, EmbeddedPostgres embedded) {
        this.url = url;
        this.source = source;
        this.embedded = embedded;
    }

    /**
     * @throws IllegalStateException when nothing is configured or answering and no embedded server may be started
     */
    public static PostgresLocator locate(Settings settings) {
        return locate(settings, "root".equals(System.getProperty("user.name")));
    }

    static PostgresLocator locate(Settings settings, boolean runningAsRoot) {
        Objects.requireNonNull(settings, "settings");
        if (settings.configured() != null) {
            LOG.info("Using the configured PostgreSQL {}", settings.configured());
            return new PostgresLocator(settings.configured(), Source.CONFIGURED, null);
        }
        if (answers(settings.localHost(), settings.localPort(), settings.probeTimeout())) {
            DatabaseUrl local = DatabaseUrl.of(settings.localHost(), settings.localPort(), settings.database())
                    .withCredentials(settings.user(), null);
            LOG.info("DATABASE_URL not set; using the PostgreSQL on {}:{}", settings.localHost(),
                    settings.localPort());
            return new PostgresLocator(local, Source.LOCAL, null);
        }
        if (runningAsRoot) {
            throw new IllegalStateException("No PostgreSQL: DATABASE_URL is not set, nothing answers on "
                    + settings.localHost() + ":" + settings.localPort()
                    + ", and an embedded PostgreSQL cannot run as root. Set DATABASE_URL, e.g. "
                    + "postgresql://user:password@host:5432/helpstream");
        }
        return startEmbedded(settings);
    }

    public DatabaseUrl url() {
        return url;
    }

    /**
     * The URL of a database of helpstream's own on the located server, created if missing, so a local server's
     * {@code postgres} database is not filled with helpstream's tables. A configured URL is used as it is; when the
     * database cannot be created the server's default database is used, with a warning.
     */
    public DatabaseUrl ownDatabase(String name) {
        if (source == Source.CONFIGURED) {
            return url;
        }
        try (Connection connection = DriverManager.getConnection(url.jdbcUrl(), url.user(), url.password());
             PreparedStatement exists = connection.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
            exists.setString(1, name);
            try (ResultSet rows = exists.executeQuery()) {
                if (!rows.next()) {
                    try (Statement create = connection.createStatement()) {
                        create.execute("CREATE DATABASE \"" + name.replace("\"", "\"\"") + "\"");
                    }
                    LOG.info("Created database {} on the {} PostgreSQL", name, source.name().toLowerCase());
                }
            }
            return url.withDatabase(name);
        } catch (SQLException e) {
            LOG.warn("Cannot create database {} ({}); using {}", name, e.getMessage(), url);
            return url;
        }
    }

    public Source source() {
        return source;
    }

    @Override
    public void close() {
        if (embedded == null) {
            return;
        }
        try {
            embedded.close();
            LOG.info("Embedded PostgreSQL stopped");
        } catch (IOException e) {
            throw new UncheckedIOException("could not stop the embedded PostgreSQL", e);
        }
    }

    private static PostgresLocator startEmbedded(Settings settings) {
        LOG.info("DATABASE_URL not set and nothing answers on {}:{}; starting an embedded PostgreSQL",
                settings.localHost(), settings.localPort());
        try {
            EmbeddedPostgres embedded = EmbeddedPostgres.builder().setPGStartupWait(Duration.ofSeconds(60)).start();
            // The embedded server's superuser and default database are both "postgres".
            DatabaseUrl url = DatabaseUrl.of("localhost", embedded.getPort(), "postgres")
                    .withCredentials("postgres", null);
            LOG.info("Embedded PostgreSQL listening on port {}", embedded.getPort());
            return new PostgresLocator(url, Source.EMBEDDED, embedded);
        } catch (IOException e) {
            throw new UncheckedIOException("could not start an embedded PostgreSQL", e);
        }
    }

    private static boolean answers(String host, int port, Duration timeout) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), Math.toIntExact(timeout.toMillis()));
            return true;
        } catch (IOException e) {
            LOG.debug("Nothing answers on {}:{}: {}", host, port, e.toString());
            return false;
        }
    }
}
