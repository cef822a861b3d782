package io.helpstream.localstack.postgres;

import static io.helpstream.localstack.postgres.ServerQueries.databaseExists;
import static io.helpstream.localstack.postgres.ServerQueries.execute;
import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;

/** A database of its own on the machine's PostgreSQL: there while open, gone after close unless kept. */
class ThrowawayDatabaseIT {

    @Test
    void should_create_an_empty_database_that_exists_while_open_and_is_gone_after_close() throws SQLException {
        ThrowawayDatabase database = ThrowawayDatabase.create("it-life", ThrowawayDatabase.OnClose.DROP);
        try {
            assertThat(database.name()).matches("helpstream_it_life_[0-9a-f]{12}");
            assertThat(database.url().jdbcUrl()).endsWith("/" + database.name());
            assertThat(databaseExists(database.server(), database.name())).isTrue();
            try (Connection connection = database.connect()) {
                assertThat(connection.getCatalog()).isEqualTo(database.name());
            }
        } finally {
            database.close();
        }

        assertThat(databaseExists(database.server(), database.name())).isFalse();
    }

    @Test
    void should_drop_the_database_while_sessions_are_still_connected() throws SQLException {
        ThrowawayDatabase database = ThrowawayDatabase.create("it-busy", ThrowawayDatabase.OnClose.DROP);
        try (Connection open = database.connect()) {
            database.close();

            assertThat(databaseExists(database.server(), database.name())).isFalse();
            assertThat(open.isValid(2)).isFalse();
        }
    }

    @Test
    void should_give_every_database_a_name_of_its_own() {
        try (ThrowawayDatabase first = ThrowawayDatabase.create("it-twice", ThrowawayDatabase.OnClose.DROP);
             ThrowawayDatabase second = ThrowawayDatabase.on(first.server(), "it-twice",
                     ThrowawayDatabase.OnClose.DROP)) {
            assertThat(first.name()).isNotEqualTo(second.name());
            assertThat(second.server()).isEqualTo(first.server());
        }
    }

    @Test
    void should_keep_the_database_when_asked() throws SQLException {
        ThrowawayDatabase database = ThrowawayDatabase.create("it-kept", ThrowawayDatabase.OnClose.KEEP);
        try {
            database.close();

            assertThat(databaseExists(database.server(), database.name())).isTrue();
        } finally {
            execute(database.server(), "DROP DATABASE IF EXISTS " + database.name() + " WITH (FORCE)");
        }
    }
}
