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
 * @param connectionTimeout longest wait for a connection before a call fails
 * @param sampleData        load the demo customers and tickets after migrating
 */
public record DatabaseSettings(String jdbcUrl, String user, String password, int minIdle, int maxPoolSize,
                               Duration connectionTimeout, boolean sampleData) {

    public static final int DEFAULT_MIN_IDLE = 1;
    public static final int DEFAULT_MAX_POOL_SIZE = 10;
    public static final Duration DEFAULT_CONNECTION_TIMEOUT = Duration.ofSeconds(5);

    /** HikariCP refuses shorter connection timeouts. */
    public static final Duration MIN_CONNECTION_TIMEOUT = Duration.ofMillis(250);

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
                + connectionTimeout + ", sampleData=" + sampleData + "]";
    }

    public static final class Builder {
        private final String jdbcUrl;
        private String user;
        private String password;
        private int minIdle = DEFAULT_MIN_IDLE;
        private int maxPoolSize = DEFAULT_MAX_POOL_SIZE;
        private Duration connectionTimeout = DEFAULT_CONNECTION_TIMEOUT;
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

        public Builder sampleData(boolean sampleData) {
            this.sampleData = sampleData;
            return this;
        }

        public DatabaseSettings build() {
            return new DatabaseSettings(jdbcUrl, user, password, minIdle, maxPoolSize, connectionTimeout, sampleData);
        }
    }
}
