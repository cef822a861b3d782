package io.helpstream.localstack.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class DatabaseUrlTest {

    @Test
    void should_keep_a_jdbc_url_as_it_is_when_it_has_no_credentials() {
        DatabaseUrl url = DatabaseUrl.parse("jdbc:postgresql://db.internal:6543/helpstream?sslmode=require");

        assertThat(url.jdbcUrl()).isEqualTo("jdbc:postgresql://db.internal:6543/helpstream?sslmode=require");
        assertThat(url.user()).isNull();
        assertThat(url.password()).isNull();
    }

    @Test
    void should_move_user_and_password_parameters_out_of_a_jdbc_url() {
        DatabaseUrl url = DatabaseUrl.parse(
                "jdbc:postgresql://localhost:5432/helpstream?user=app&sslmode=disable&password=s3cret");

        assertThat(url.jdbcUrl()).isEqualTo("jdbc:postgresql://localhost:5432/helpstream?sslmode=disable");
        assertThat(url.user()).isEqualTo("app");
        assertThat(url.password()).isEqualTo("s3cret");
    }

    @Test
    void should_turn_a_heroku_url_into_jdbc_with_its_credentials() {
        DatabaseUrl url = DatabaseUrl.parse("postgres://u1abc:p4ss@ec2-1-2-3-4.compute.amazonaws.com:5432/d9xyz");

        assertThat(url.jdbcUrl()).isEqualTo("jdbc:postgresql://ec2-1-2-3-4.compute.amazonaws.com:5432/d9xyz");
        assertThat(url.user()).isEqualTo("u1abc");
        assertThat(url.password()).isEqualTo("p4ss");
    }

    @Test
    void should_accept_the_postgresql_scheme_without_a_port_and_keep_its_parameters() {
        DatabaseUrl url = DatabaseUrl.parse("postgresql://app@db/helpstream?sslmode=require");

        assertThat(url.jdbcUrl()).isEqualTo("jdbc:postgresql://db/helpstream?sslmode=require");
        assertThat(url.user()).isEqualTo("app");
        assertThat(url.password()).isNull();
    }

    @Test
    void should_decode_percent_escapes_in_credentials_but_keep_plus_signs() {
        DatabaseUrl url = DatabaseUrl.parse("postgresql://app%40corp:p%2Fw+d%3A1@db:5432/helpstream");

        assertThat(url.user()).isEqualTo("app@corp");
        assertThat(url.password()).isEqualTo("p/w+d:1");
    }

    @Test
    void should_take_an_unescaped_at_sign_in_the_password_as_part_of_it() {
        DatabaseUrl url = DatabaseUrl.parse("postgresql://app:p@ss@db:5432/helpstream");

        assertThat(url.password()).isEqualTo("p@ss");
        assertThat(url.hosts()).isEqualTo("db:5432");
    }

    @Test
    void should_accept_several_hosts_and_ipv6_addresses() {
        assertThat(DatabaseUrl.parse("postgresql://a:5432,b:5433/helpstream").jdbcUrl())
                .isEqualTo("jdbc:postgresql://a:5432,b:5433/helpstream");
        assertThat(DatabaseUrl.parse("postgresql://[::1]:5432/helpstream").jdbcUrl())
                .isEqualTo("jdbc:postgresql://[::1]:5432/helpstream");
    }

    @Test
    void should_read_the_jdbc_shorthand_as_localhost() {
        assertThat(DatabaseUrl.parse("jdbc:postgresql:helpstream").jdbcUrl())
                .isEqualTo("jdbc:postgresql://localhost/helpstream");
    }

    @Test
    void should_let_explicit_credentials_win_over_those_in_the_url() {
        DatabaseUrl url = DatabaseUrl.parse("postgresql://fromurl:urlpass@db/helpstream");

        DatabaseUrl overridden = url.withCredentials("explicit", "explicitpass");
        DatabaseUrl userOnly = url.withCredentials("explicit", null);

        assertThat(overridden.user()).isEqualTo("explicit");
        assertThat(overridden.password()).isEqualTo("explicitpass");
        assertThat(userOnly.user()).isEqualTo("explicit");
        assertThat(userOnly.password()).isEqualTo("urlpass");
    }

    @Test
    void should_switch_database_and_keep_server_credentials_and_parameters() {
        DatabaseUrl url = DatabaseUrl.parse("postgresql://app:pw@db:5432/postgres?sslmode=require");

        DatabaseUrl other = url.withDatabase("helpstream_it_1");

        assertThat(other.jdbcUrl()).isEqualTo("jdbc:postgresql://db:5432/helpstream_it_1?sslmode=require");
        assertThat(other.user()).isEqualTo("app");
        assertThat(other.password()).isEqualTo("pw");
    }

    @Test
    void should_reject_an_unknown_scheme_naming_the_variable() {
        assertThatThrownBy(() -> DatabaseUrl.parse("mysql://app:pw@db/helpstream"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("DATABASE_URL must start with jdbc:postgresql:, postgresql:// or postgres://")
                .hasMessageContaining("mysql://app:****@db/helpstream")
                .hasMessageNotContaining("pw");
    }

    @Test
    void should_reject_an_empty_value() {
        assertThatThrownBy(() -> DatabaseUrl.parse("  "))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("DATABASE_URL is empty");
    }

    @Test
    void should_reject_a_url_without_database_and_mask_its_password() {
        assertThatThrownBy(() -> DatabaseUrl.parse("postgresql://app:topsecret@db:5432"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("DATABASE_URL has no database name: 'postgresql://app:****@db:5432'");
    }

    @Test
    void should_reject_a_url_without_host() {
        assertThatThrownBy(() -> DatabaseUrl.parse("postgresql://app:topsecret@/helpstream"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("DATABASE_URL has no host: 'postgresql://app:****@/helpstream'");
    }

    @Test
    void should_reject_a_port_that_is_not_a_number_or_out_of_range() {
        assertThatThrownBy(() -> DatabaseUrl.parse("postgresql://db:fivefour/helpstream"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("DATABASE_URL has an invalid host or port");
        assertThatThrownBy(() -> DatabaseUrl.parse("postgresql://db:70000/helpstream"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("DATABASE_URL has port 70000, outside 1-65535");
    }

    @Test
    void should_not_reveal_a_password_whose_unescaped_question_mark_breaks_the_url() {
        assertThatThrownBy(() -> DatabaseUrl.parse("postgresql://app:top?secret@db/helpstream"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("DATABASE_URL")
                .hasMessageNotContaining("top")
                .hasMessageNotContaining("secret");
    }

    @Test
    void should_mask_a_password_parameter_in_error_messages() {
        assertThatThrownBy(() -> DatabaseUrl.parse("jdbc:postgresql://db:99999/helpstream?password=topsecret"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("password=****")
                .hasMessageNotContaining("topsecret");
    }

    @Test
    void should_reject_a_malformed_percent_escape_without_showing_the_password() {
        assertThatThrownBy(() -> DatabaseUrl.parse("postgresql://app:bad%zzpass@db/helpstream"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("DATABASE_URL has a malformed %-escape in the password")
                .hasMessageNotContaining("bad%zzpass");
    }

    @Test
    void should_not_print_the_password_in_to_string() {
        DatabaseUrl url = DatabaseUrl.parse("postgresql://app:topsecret@db/helpstream");

        assertThat(url.toString()).contains("app:****@").doesNotContain("topsecret");
    }
}
