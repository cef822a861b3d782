package io.helpstream.bench;

import io.helpstream.localstack.postgres.DatabaseUrl;
import io.helpstream.localstack.postgres.ThrowawayDatabase;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/** What PostgreSQL counts for the bench database. */
final class DatabaseStatistics {

    private DatabaseStatistics() {
    }

    /**
     * Committed transactions of the database so far (one per autocommit statement). Asked through the server's own
     * database: a query inside the bench database would count itself.
     */
    static long committedTransactions(ThrowawayDatabase database) throws SQLException {
        DatabaseUrl server = database.server();
        try (Connection connection = DriverManager.getConnection(server.jdbcUrl(), server.user(), server.password());
             Statement clear = connection.createStatement();
             PreparedStatement query = connection.prepareStatement(
                     "SELECT xact_commit FROM pg_stat_database WHERE datname = ?")) {
            // Statistics are read once per transaction and then kept; a fresh snapshot sees the latest counts.
            clear.execute("SELECT pg_stat_clear_snapshot()");
            query.setString(1, database.name());
            try (ResultSet rows = query.executeQuery()) {
                if (!rows.next()) {
                    throw new IllegalStateException("no statistics for database " + database.name());
                }
                return rows.getLong(1);
            }
        }
    }
}
