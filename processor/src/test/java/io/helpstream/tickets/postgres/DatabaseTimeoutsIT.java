package io.helpstream.tickets.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.helpstream.schema.TicketStatus;
import io.helpstream.tickets.SupportRepositoryException;
import java.time.Duration;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.JdbiException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Through the pool's own settings, no call waits on the database for longer than its timeouts. */
class DatabaseTimeoutsIT {

    @RegisterExtension
    static final PostgresTestDatabase DB = PostgresTestDatabase.withSampleData();

    /** Far beyond every timeout the tests set, far below the minutes a hung call would take. */
    private static final Duration HUNG = Duration.ofSeconds(20);

    @Test
    void should_cancel_a_statement_that_runs_past_the_statement_timeout() {
        try (Database database = Database.open(DB.settings().sampleData(false)
                .statementTimeout(Duration.ofMillis(300)).build())) {
            long start = System.nanoTime();

            assertThatThrownBy(() -> database.jdbi().withHandle(handle -> handle
                    .createQuery("SELECT pg_sleep(60)").mapTo(String.class).one()))
                    .isInstanceOf(JdbiException.class)
                    .hasStackTraceContaining("canceling statement due to statement timeout");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(HUNG);
        }
    }

    @Test
    void should_fail_a_repository_call_held_up_past_the_statement_timeout_with_a_repository_exception() {
        try (Database database = Database.open(DB.settings().sampleData(false)
                .statementTimeout(Duration.ofMillis(300)).lockTimeout(Duration.ofSeconds(10)).build());
             Handle holder = DB.jdbi().open()) {
            holdTicketLock(holder);

            assertThatThrownBy(() -> database.repository().updateStatus("TICK001", TicketStatus.RESOLVED,
                    "agent", null, "statement-timeout"))
                    .isInstanceOf(SupportRepositoryException.class)
                    .hasMessageContaining("statement timeout");
            holder.rollback();
        }
    }

    @Test
    void should_fail_a_repository_call_waiting_past_the_lock_timeout_with_a_repository_exception() {
        try (Database database = Database.open(DB.settings().sampleData(false)
                .statementTimeout(Duration.ofSeconds(10)).lockTimeout(Duration.ofMillis(300)).build());
             Handle holder = DB.jdbi().open()) {
            holdTicketLock(holder);
            long start = System.nanoTime();

            assertThatThrownBy(() -> database.repository().updateStatus("TICK001", TicketStatus.RESOLVED,
                    "agent", null, "lock-timeout"))
                    .isInstanceOf(SupportRepositoryException.class)
                    .hasMessageContaining("lock timeout");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(HUNG);
            holder.rollback();
        }
    }

    @Test
    void should_refuse_a_socket_timeout_that_would_fire_before_the_statement_timeout() {
        assertThatThrownBy(() -> DB.settings().statementTimeout(Duration.ofSeconds(30))
                .socketTimeout(Duration.ofSeconds(30)).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("socketTimeout");
        assertThatThrownBy(() -> DB.settings().connectTimeout(Duration.ofMillis(999)).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("connectTimeout");
    }

    private static void holdTicketLock(Handle holder) {
        holder.begin();
        holder.createQuery("SELECT id FROM tickets WHERE id = 'TICK001' FOR UPDATE").mapTo(String.class).one();
    }
}
