package io.helpstream.tickets.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import io.helpstream.tickets.cache.CacheSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class SharedSecretsIT {

    @RegisterExtension
    static final PostgresTestDatabase DB = PostgresTestDatabase.empty();

    @Test
    void should_give_every_instance_on_the_database_the_secret_the_first_one_generated() {
        try (Database other = Database.open(DB.settings().build())) {
            String first = SharedSecrets.get(DB.jdbi(), "cache-keys");
            String second = SharedSecrets.get(other.jdbi(), "cache-keys");

            assertThat(second).isEqualTo(first).hasSizeGreaterThanOrEqualTo(CacheSettings.MIN_KEY_SECRET_LENGTH);
            assertThat(SharedSecrets.get(DB.jdbi(), "another")).isNotEqualTo(first);
        }
    }
}
