package io.helpstream.tickets.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.helpstream.schema.TicketPriority;
import io.helpstream.tickets.NewTicket;
import io.helpstream.tickets.SupportRepositoryException;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class DatabaseIT {

    @RegisterExtension
    static final PostgresTestDatabase DB = PostgresTestDatabase.empty();

    @Test
    void should_load_sample_data_only_when_asked_also_on_an_already_migrated_database() {
        assertThat(DB.repository().findCustomerProfile("john@example.com")).isEmpty();
        assertThat(DB.repository().faqEntries()).hasSize(5);

        try (Database again = Database.open(DB.settings().sampleData(true).maxPoolSize(2).build())) {
            assertThat(again.repository().findCustomerProfile("jane@example.com")).isPresent();
        }
    }

    @Test
    void should_publish_pool_metrics_under_the_pool_name() {
        assertThat(DB.meters().find("hikaricp.connections.max").tag("pool", Database.POOL_NAME).gauge())
                .isNotNull()
                .satisfies(gauge -> assertThat(gauge.value()).isEqualTo(10.0));
    }

    @Test
    void should_fail_with_a_repository_exception_when_the_database_is_down() throws IOException {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl("jdbc:postgresql://127.0.0.1:" + closedPort() + "/helpstream");
        config.setConnectionTimeout(250);
        config.setInitializationFailTimeout(-1);
        try (HikariDataSource unreachable = new HikariDataSource(config)) {
            PostgresSupportRepository repository = new PostgresSupportRepository(Database.createJdbi(unreachable));

            assertThatThrownBy(() -> repository.findCustomerProfile("john@example.com"))
                    .isInstanceOf(SupportRepositoryException.class)
                    .hasMessageStartingWith("support database could not look up a customer: ")
                    .hasCauseInstanceOf(org.jdbi.v3.core.ConnectionException.class);
            assertThatThrownBy(() -> repository.createTicket(
                    new NewTicket("CUST001", "s", "d", TicketPriority.LOW), "k"))
                    .isInstanceOf(SupportRepositoryException.class)
                    .hasMessageStartingWith("support database could not create a ticket: ")
                    .satisfies(e -> assertThat(e.getMessage().lines()).hasSize(1));
        }
    }

    @Test
    void should_fail_to_open_with_a_repository_exception_when_nothing_listens() throws IOException {
        DatabaseSettings settings = DatabaseSettings.builder("jdbc:postgresql://127.0.0.1:" + closedPort() + "/helpstream", null, null)
                .connectionTimeout(Duration.ofMillis(250))
                .build();

        assertThatThrownBy(() -> Database.open(settings))
                .isInstanceOf(SupportRepositoryException.class)
                .hasMessageContaining("could not connect to the support database at jdbc:postgresql://127.0.0.1:");
    }

    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
