package io.helpstream.tickets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.helpstream.schema.TicketPriority;
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
        DatabaseSettings settings = DatabaseSettings.builder(DatabaseUrl.of("127.0.0.1", closedPort(), "helpstream"))
                .connectionTimeout(Duration.ofMillis(250))
                .build();

        assertThatThrownBy(() -> Database.open(settings))
                .isInstanceOf(SupportRepositoryException.class)
                .hasMessageContaining("could not connect to the support database at jdbc:postgresql://127.0.0.1:");
    }

    @Test
    void should_use_the_configured_url_without_probing() {
        DatabaseUrl configured = DatabaseUrl.parse("postgresql://app:pw@db.invalid:5432/helpstream");

        try (PostgresLocator locator = PostgresLocator.locate(PostgresLocator.Settings.defaults(configured), true)) {
            assertThat(locator.source()).isEqualTo(PostgresLocator.Source.CONFIGURED);
            assertThat(locator.url()).isEqualTo(configured);
        }
    }

    @Test
    void should_find_the_local_server_when_nothing_is_configured() {
        try (PostgresLocator locator = PostgresLocator.locate(PostgresLocator.Settings.defaults(null), true)) {
            assertThat(locator.source()).isEqualTo(PostgresLocator.Source.LOCAL);
            assertThat(locator.url().jdbcUrl()).isEqualTo("jdbc:postgresql://127.0.0.1:5432/postgres");
            assertThat(locator.url().user()).isEqualTo("postgres");
        }
    }

    @Test
    void should_create_a_database_of_its_own_on_the_local_server_once() throws Exception {
        String name = "helpstream_it_own_" + Long.toHexString(System.nanoTime());
        try (PostgresLocator locator = PostgresLocator.locate(PostgresLocator.Settings.defaults(null), true)) {
            DatabaseUrl own = locator.ownDatabase(name);
            try {
                assertThat(own.jdbcUrl()).endsWith("/" + name);
                assertThat(locator.ownDatabase(name)).isEqualTo(own);
                try (var connection = java.sql.DriverManager.getConnection(own.jdbcUrl(), own.user(), null)) {
                    assertThat(connection.getCatalog()).isEqualTo(name);
                }
            } finally {
                try (var connection = java.sql.DriverManager.getConnection(locator.url().jdbcUrl(),
                        locator.url().user(), null); var drop = connection.createStatement()) {
                    drop.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
                }
            }
        }
    }

    @Test
    void should_use_a_configured_database_as_it_is() {
        DatabaseUrl configured = DatabaseUrl.parse("postgresql://app@db.example:5432/support");
        try (PostgresLocator locator = PostgresLocator.locate(PostgresLocator.Settings.defaults(configured), true)) {
            assertThat(locator.ownDatabase("helpstream")).isEqualTo(configured);
        }
    }

    @Test
    void should_name_database_url_when_nothing_answers_and_running_as_root() throws IOException {
        PostgresLocator.Settings settings = new PostgresLocator.Settings(null, "127.0.0.1", closedPort(),
                Duration.ofMillis(200), "postgres", "postgres");

        assertThatThrownBy(() -> PostgresLocator.locate(settings, true))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("DATABASE_URL is not set")
                .hasMessageContaining("Set DATABASE_URL");
    }

    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
