package io.helpstream.bench;

import io.helpstream.localstack.postgres.ThrowawayDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;

/**
 * The customers conversations of the benchmarks belong to, added to the bench database as a support system would:
 * rows in the {@code customers} table helpstream created when it first started.
 */
final class Customers {

    private Customers() {
    }

    static String email(int index) {
        return "customer-" + index + "@bench.example";
    }

    /** Adds customers 0 .. count-1 in one transaction; those already there are kept. Needs helpstream's schema. */
    static void seed(ThrowawayDatabase database, int count) throws SQLException {
        try (Connection connection = database.connect();
             PreparedStatement insert = connection.prepareStatement("INSERT INTO customers (id, name, email, tier) "
                     + "VALUES (?, ?, ?, 'premium') ON CONFLICT DO NOTHING")) {
            connection.setAutoCommit(false);
            for (int i = 0; i < count; i++) {
                insert.setString(1, "BENCH" + i);
                insert.setString(2, "Customer " + i);
                insert.setString(3, email(i));
                insert.addBatch();
            }
            insert.executeBatch();
            connection.commit();
        }
    }
}
