package io.helpstream.localstack.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Finding PostgreSQL: the configured URL, the local server, or an embedded one; against the machine's server. */
class PostgresLocatorIT {

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
