package io.helpstream.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.junit.jupiter.api.Test;

class StreamThreadFailuresTest {

    private static final Instant START = Instant.parse("2026-01-01T00:00:00Z");
    private final MutableClock clock = new MutableClock();
    private final StreamThreadFailures failures = new StreamThreadFailures(3, Duration.ofMinutes(10), clock);

    @Test
    void should_replace_threads_until_the_limit_is_reached_within_the_window_then_shut_down() {
        assertThat(failures.handle(new IllegalStateException("one"))).isEqualTo(
                StreamThreadExceptionResponse.REPLACE_THREAD);
        clock.advance(Duration.ofMinutes(1));
        assertThat(failures.handle(new IllegalStateException("two"))).isEqualTo(
                StreamThreadExceptionResponse.REPLACE_THREAD);
        clock.advance(Duration.ofMinutes(1));

        assertThat(failures.handle(new IllegalStateException("three"))).isEqualTo(
                StreamThreadExceptionResponse.SHUTDOWN_CLIENT);
    }

    @Test
    void should_forget_failures_older_than_the_window() {
        failures.handle(new IllegalStateException("one"));
        failures.handle(new IllegalStateException("two"));
        clock.advance(Duration.ofMinutes(10));

        assertThat(failures.handle(new IllegalStateException("three"))).isEqualTo(
                StreamThreadExceptionResponse.REPLACE_THREAD);
        assertThat(failures.handle(new IllegalStateException("four"))).isEqualTo(
                StreamThreadExceptionResponse.REPLACE_THREAD);
        assertThat(failures.handle(new IllegalStateException("five"))).isEqualTo(
                StreamThreadExceptionResponse.SHUTDOWN_CLIENT);
    }

    @Test
    void should_shut_down_at_the_first_failure_when_one_is_the_limit() {
        StreamThreadFailures strict = new StreamThreadFailures(1, Duration.ofMinutes(10), clock);

        assertThat(strict.handle(new IllegalStateException("one"))).isEqualTo(
                StreamThreadExceptionResponse.SHUTDOWN_CLIENT);
    }

    @Test
    void should_refuse_a_limit_below_one_or_an_empty_window() {
        assertThatThrownBy(() -> new StreamThreadFailures(0, Duration.ofMinutes(1), clock))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxFailures");
        assertThatThrownBy(() -> new StreamThreadFailures(1, Duration.ZERO, clock))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("window");
    }

    private static final class MutableClock extends Clock {
        private Instant now = START;

        void advance(Duration duration) {
            now = now.plus(duration);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }
}
