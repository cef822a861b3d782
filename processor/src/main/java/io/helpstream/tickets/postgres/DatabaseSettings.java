package io.helpstream.tickets.postgres;

import java.time.Duration;
import java.util.Objects;

/**
 * How to reach the database and size its pool.
 *
 * @param jdbcUrl           {@code jdbc:postgresql://...}
 * @param user              null to let the driver decide
 * @param password          null when none is needed
 * @param minIdle           connections kept open when idle
 * @param maxPoolSize       most connections at once
 * @param connectionTimeout longest wait for a connection from the pool before a call fails
 * @param connectTimeout    longest wait to open a connection to the server (whole seconds, rounded up)
 * @param socketTimeout     longest wait for the server to answer on an open connection (whole seconds, rounded up):
 *                          the last resort against a server or network that went silent; longer than
 *                          {@code statementTimeout}, so the server's own cancel comes first
 * @param statementTimeout  the server cancels a statement running longer ({@code statement_timeout})
 * @param lockTimeout       the server cancels a statement waiting longer for a lock ({@code lock_timeout})
 * @param sampleData        load the demo customers and tickets after migrating
 */
public record DatabaseSettings(String jdbcUrl, String user, String password, int minIdle, int maxPoolSize,
                               Duration connectionTimeout, Duration connectTimeout, Duration socketTimeout,
                               Duration statementTimeout, Duration lockTimeout, boolean sampleData) {

    public static final int DEFAULT_MIN_IDLE = 1;
    public static final int DEFAULT_MAX_POOL_SIZE = 10;
    public static final Duration DEFAULT_CONNECTION_TIMEOUT = Duration.ofSeconds(5);

    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);
    public static final Duration DEFAULT_SOCKET_TIMEOUT = Duration.ofSeconds(30);
    public static final Duration DEFAULT_STATEMENT_TIMEOUT = Duration.ofSeconds(10);
    public static final Duration DEFAULT_LOCK_TIMEOUT = Duration.ofSeconds(5);

    /** HikariCP refuses shorter connection timeouts. */
    public static final Duration MIN_CONNECTION_TIMEOUT = Duration.ofMillis(250);
    /** The driver counts connect and socket timeouts in whole seconds. */
    public static final Duration MIN_NETWORK_TIMEOUT = Duration.ofSeconds(1);
    /** PostgreSQL counts statement and lock timeouts in milliseconds; zero would switch them off. */
    public static final Duration MIN_SERVER_TIMEOUT = Duration.ofMillis(1);

    public DatabaseSettings {
        Objects.requireNonNull(jdbcUrl, "jdbcUrl");
        Objects.requireNonNull(connectionTimeout, "connectionTimeout");
        if (!jdbcUrl.startsWith("jdbc:postgresql:")) {
            throw new IllegalArgumentException("jdbcUrl must start with jdbc:postgresql: but was " + jdbcUrl);
        }
        if (maxPoolSize < 1) {
            throw new IllegalArgumentException("maxPoolSize must be at least 1 but was " + maxPoolSize);
        }
        if (minIdle < 0 || minIdle > maxPoolSize) {
            throw new IllegalArgumentException("minIdle must be within 0.." + maxPoolSize + " but was " + minIdle);
        }
        if (connectionTimeout.compareTo(MIN_CONNECTION_TIMEOUT) < 0) {
            throw new IllegalArgumentException("connectionTimeout must be at least 250ms but was " + connectionTimeout);
        }
        atLeast("connectTimeout", connectTimeout, MIN_NETWORK_TIMEOUT);
        atLeast("socketTimeout", socketTimeout, MIN_NETWORK_TIMEOUT);
        atLeast("statementTimeout", statementTimeout, MIN_SERVER_TIMEOUT);
        atLeast("lockTimeout", lockTimeout, MIN_SERVER_TIMEOUT);
        if (socketTimeout.compareTo(statementTimeout) <= 0) {
            throw new IllegalArgumentException("socketTimeout (" + socketTimeout + ") must be longer than "
                    + "statementTimeout (" + statementTimeout + ") so that the server cancels a slow statement first");
        }
    }

    private static void atLeast(String name, Duration value, Duration min) {
        Objects.requireNonNull(value, name);
        if (value.compareTo(min) < 0) {
            throw new IllegalArgumentException(name + " must be at least " + min + " but was " + value);
        }
    }

    /** The driver's connect and socket timeouts, in whole seconds, rounded up. */
    static int wholeSeconds(Duration timeout) {
        return (int) Math.min(Integer.MAX_VALUE, (timeout.toMillis() + 999) / 1000);
    }

    /** The session settings every pooled connection starts with, as the driver's {@code options} property. */
    String sessionOptions() {
        return "-c statement_timeout=" + statementTimeout.toMillis() + " -c lock_timeout=" + lockTimeout.toMillis();
    }

    /** Settings for the server and database of a JDBC URL, with the given credentials and default pool sizes. */
    public static Builder builder(String jdbcUrl, String user, String password) {
        return new Builder(Objects.requireNonNull(jdbcUrl, "jdbcUrl")).user(user).password(password);
    }

    /** The URL without its query, which may carry credentials: safe to log and to show in errors. */
    public String location() {
        int query = jdbcUrl.indexOf('?');
        return query < 0 ? jdbcUrl : jdbcUrl.substring(0, query);
    }

    @Override
    public String toString() {
        String maskedPassword = password == null ? null : "****";
        return "DatabaseSettings[jdbcUrl=" + location() + ", user=" + user + ", password="
                + maskedPassword + ", minIdle=" + minIdle + ", maxPoolSize=" + maxPoolSize + ", connectionTimeout="
                + connectionTimeout + ", connectTimeout=" + connectTimeout + ", socketTimeout=" + socketTimeout
                + ", statementTimeout=" + statementTimeout + ", lockTimeout=" + lockTimeout + ", sampleData="
                + sampleData + "]";
    }

    public static final class Builder {
        private final String jdbcUrl;
        private String user;
        private String password;
        private int minIdle = DEFAULT_MIN_IDLE;
        private int maxPoolSize = DEFAULT_MAX_POOL_SIZE;
        private Duration connectionTimeout = DEFAULT_CONNECTION_TIMEOUT;
        private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
        private Duration socketTimeout = DEFAULT_SOCKET_TIMEOUT;
        private Duration statementTimeout = DEFAULT_STATEMENT_TIMEOUT;
        private Duration lockTimeout = DEFAULT_LOCK_TIMEOUT;
        private boolean sampleData;

        private Builder(String jdbcUrl) {
            this.jdbcUrl = jdbcUrl;
        }

        public Builder user(String user) {
            this.user = user;
            return this;
        }

        public Builder password(String password) {
            this.password = password;
            return this;
        }

        public Builder minIdle(int minIdle) {
            this.minIdle = minIdle;
            return this;
        }

        public Builder maxPoolSize(int maxPoolSize) {
            this.maxPoolSize = maxPoolSize;
            return this;
        }

        public Builder connectionTimeout(Duration connectionTimeout) {
            this.connectionTimeout = connectionTimeout;
            return this;
        }

        public Builder connectTimeout(Duration connectTimeout) {
            this.connectTimeout = connectTimeout;
            return this;
        }

        public Builder socketTimeout(Duration socketTimeout) {
            this.socketTimeout = socketTimeout;
            return this;
        }

        public Builder statementTimeout(Duration statementTimeout) {
            this.statementTimeout = statementTimeout;
            return this;
        }

        public Builder lockTimeout(Duration lockTimeout) {
            this.lockTimeout = lockTimeout;
            return this;
        }

        public Builder sampleData(boolean sampleData) {
            this.sampleData = sampleData;
            return this;
        }

        public DatabaseSettings build() {
            return new DatabaseSettings(jdbcUrl, user, password, minIdle, maxPoolSize, connectionTimeout,
                    connectTimeout, socketTimeout, statementTimeout, lockTimeout, sampleData);
        }
    }
}
