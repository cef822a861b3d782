package io.helpstream.desk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DeskSessionsTest {

    private static final DeskAgent MARIA = new DeskAgent("maria.k", "Maria");

    private Instant now = Instant.parse("2026-12-02T10:00:00Z");
    private final Clock clock = new Clock() {
        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    };

    @Test
    void should_find_the_agent_of_an_open_session_until_it_expires() {
        DeskSessions sessions = new DeskSessions(10, Duration.ofHours(8), clock);
        String id = sessions.open(MARIA);

        assertThat(sessions.agent(id)).contains(MARIA);
        now = now.plus(Duration.ofHours(8)).minusMillis(1);
        assertThat(sessions.agent(id)).contains(MARIA);
        now = now.plusMillis(1);
        assertThat(sessions.agent(id)).isEmpty();
    }

    @Test
    void should_not_know_a_closed_or_made_up_session() {
        DeskSessions sessions = new DeskSessions(10, Duration.ofHours(8), clock);
        String id = sessions.open(MARIA);
        sessions.close(id);

        assertThat(sessions.agent(id)).isEmpty();
        assertThat(sessions.agent("made-up")).isEmpty();
        assertThat(sessions.agent(null)).isEmpty();
    }

    @Test
    void should_sign_the_oldest_session_out_when_full() {
        DeskSessions sessions = new DeskSessions(2, Duration.ofHours(8), clock);
        String first = sessions.open(MARIA);
        String second = sessions.open(new DeskAgent("bob", "Bob"));
        String third = sessions.open(new DeskAgent("eve", "Eve"));

        assertThat(sessions.agent(first)).isEmpty();
        assertThat(sessions.agent(second)).isPresent();
        assertThat(sessions.agent(third)).isPresent();
        assertThat(sessions.size()).isEqualTo(2);
    }

    @Test
    void should_give_each_session_a_random_id_of_256_bits() {
        DeskSessions sessions = new DeskSessions(1000, Duration.ofHours(8), clock);
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < 100; i++) {
            ids.add(sessions.open(MARIA));
        }
        assertThat(ids).hasSize(100).allMatch(id -> id.matches("[A-Za-z0-9_-]{43}"));
    }

    @Test
    void should_refuse_an_agent_id_or_name_that_is_not_plain() {
        assertThatThrownBy(() -> new DeskAgent("maria k", "Maria")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new DeskAgent("<b>", "Maria")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new DeskAgent("x".repeat(65), "Maria")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new DeskAgent("maria", " ")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new DeskAgent("maria", "M\u0000")).isInstanceOf(IllegalArgumentException.class);
        assertThat(new DeskAgent("x".repeat(64), "M".repeat(80)).id()).hasSize(64);
    }
}
