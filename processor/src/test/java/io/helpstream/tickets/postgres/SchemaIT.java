package io.helpstream.tickets.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.postgresql.util.PSQLException;

class SchemaIT {

    @RegisterExtension
    static final PostgresTestDatabase DB = PostgresTestDatabase.withSampleData();

    @Test
    void should_reject_an_unknown_status_in_the_database() {
        assertThatThrownBy(() -> DB.jdbi().useHandle(h -> h.execute(
                "INSERT INTO tickets (customer_id, subject, status) VALUES ('CUST001', 's', 'pending')")))
                .isInstanceOf(UnableToExecuteStatementException.class)
                .cause().isInstanceOf(PSQLException.class)
                .hasMessageContaining("tickets_status_check");
    }

    @Test
    void should_reject_an_unknown_or_uppercase_priority_in_the_database() {
        assertThatThrownBy(() -> DB.jdbi().useHandle(h -> h.execute(
                "UPDATE tickets SET priority = 'critical' WHERE id = 'TICK001'")))
                .hasRootCauseInstanceOf(PSQLException.class)
                .rootCause().hasMessageContaining("tickets_priority_check");
        assertThatThrownBy(() -> DB.jdbi().useHandle(h -> h.execute(
                "UPDATE tickets SET priority = 'HIGH' WHERE id = 'TICK001'")))
                .rootCause().hasMessageContaining("tickets_priority_check");
    }

    @Test
    void should_refuse_a_second_customer_with_the_same_email_in_another_case() {
        assertThatThrownBy(() -> DB.jdbi().useHandle(h -> h.execute(
                "INSERT INTO customers (id, name, email) VALUES ('CUST999', 'Copy', 'JOHN@example.com')")))
                .rootCause().hasMessageContaining("customers_email_lower_key");
    }

    @Test
    void should_number_tickets_from_a_sequence() {
        List<String> ids = DB.jdbi().withHandle(h -> h.createQuery(
                "SELECT next_ticket_id() FROM generate_series(1, 3)").mapTo(String.class).list());

        assertThat(ids).allMatch(id -> id.matches("TICK-\\d{6}")).doesNotHaveDuplicates();
    }

    @Test
    void should_have_an_index_for_every_lookup() {
        List<String> indexes = DB.jdbi().withHandle(h -> h.createQuery(
                "SELECT indexdef FROM pg_indexes WHERE schemaname = 'public'").mapTo(String.class).list());

        assertThat(indexes).anyMatch(def -> def.startsWith("CREATE UNIQUE INDEX customers_email_lower_key")
                && def.contains("lower(email)"));
        assertThat(indexes).anyMatch(def -> def.startsWith("CREATE INDEX tickets_customer_created_idx")
                && def.contains("(customer_id, created_at DESC"));
        assertThat(indexes).anyMatch(def -> def.startsWith("CREATE UNIQUE INDEX tool_idempotency_pkey")
                && def.contains("(key)"));
        assertThat(indexes).anyMatch(def -> def.startsWith("CREATE UNIQUE INDEX faq_entries_pkey"));
        assertThat(indexes).anyMatch(def -> def.startsWith("CREATE INDEX ticket_notes_ticket_idx"));
    }

    @Test
    void should_find_a_customer_by_email_with_an_index_scan() {
        String plan = explain(CustomerDao.FIND_BY_EMAIL.replace(":email", "'John@Example.com'"));

        assertThat(plan).contains("Index Scan using customers_email_lower_key");
    }

    @Test
    void should_list_a_customers_tickets_with_an_index_scan() {
        String plan = explain(TicketDao.RECENT_FOR_CUSTOMER
                .replace(":customerId", "'CUST001'").replace(":limit", "3"));

        // No Sort node: the index already yields the newest tickets first.
        assertThat(plan).contains("Index Scan using tickets_customer_created_idx").doesNotContain("Sort");
    }

    @Test
    void should_load_the_sample_data_again_without_duplicates() {
        SampleData.load(DB.jdbi());
        SampleData.load(DB.jdbi());

        assertThat(count("SELECT count(*) FROM customers WHERE id IN ('CUST001', 'CUST002', 'CUST003')"))
                .isEqualTo(3);
        assertThat(count("SELECT count(*) FROM tickets WHERE id IN ('TICK001', 'TICK002', 'TICK003')"))
                .isEqualTo(3);
    }

    @Test
    void should_store_timestamps_with_time_zone() {
        List<String> types = DB.jdbi().withHandle(h -> h.createQuery("""
                SELECT DISTINCT data_type FROM information_schema.columns
                WHERE table_schema = 'public' AND table_name IN
                      ('customers', 'tickets', 'ticket_notes', 'tool_idempotency')
                  AND column_name IN ('created_at', 'updated_at', 'last_activity')""").mapTo(String.class).list());

        assertThat(types).containsExactly("timestamp with time zone");
    }

    /** The plan with whole-table and bitmap scans priced out, as on a table large enough for the index to pay. */
    private static String explain(String sql) {
        return DB.jdbi().inTransaction(h -> {
            h.execute("SET LOCAL enable_seqscan = off");
            h.execute("SET LOCAL enable_bitmapscan = off");
            return String.join("\n", h.createQuery("EXPLAIN " + sql).mapTo(String.class).list());
        });
    }

    private static int count(String sql) {
        return DB.jdbi().withHandle((Handle h) -> h.createQuery(sql).mapTo(Integer.class).one());
    }
}
