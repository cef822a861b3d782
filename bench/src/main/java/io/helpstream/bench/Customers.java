package io.helpstream.bench;

import io.helpstream.tickets.postgres.Database;
import io.helpstream.tickets.postgres.DatabaseSettings;
import io.helpstream.localstack.postgres.DatabaseUrl;
import org.jdbi.v3.core.statement.PreparedBatch;

/** The customers conversations of the benchmarks belong to, in the bench database. */
final class Customers {

    private Customers() {
    }

    static String email(int index) {
        return "customer-" + index + "@bench.example";
    }

    /** Migrates the database and adds customers 0 .. count-1 (those already there are kept). */
    static void seed(DatabaseUrl database, int count) {
        try (Database db = Database.open(DatabaseSettings.builder(database.jdbcUrl(), database.user(), database.password()).build())) {
            db.jdbi().useTransaction(handle -> {
                PreparedBatch batch = handle.prepareBatch("INSERT INTO customers (id, name, email, tier) "
                        + "VALUES (:id, :name, :email, 'premium') ON CONFLICT DO NOTHING");
                for (int i = 0; i < count; i++) {
                    batch.bind("id", "BENCH" + i).bind("name", "Customer " + i).bind("email", email(i)).add();
                }
                batch.execute();
            });
        }
    }
}
