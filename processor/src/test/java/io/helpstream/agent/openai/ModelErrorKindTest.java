package io.helpstream.agent.openai;

import static org.assertj.core.api.Assertions.assertThat;

import dev.langchain4j.exception.AuthenticationException;
import dev.langchain4j.exception.InternalServerException;
import dev.langchain4j.exception.InvalidRequestException;
import dev.langchain4j.exception.RateLimitException;
import dev.langchain4j.exception.TimeoutException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ModelErrorKindTest {

    @Test
    void should_classify_langchain4j_exceptions_and_retry_only_transient_ones() {
        ModelHttpException tooMany = new ModelHttpException(429, "slow down", Duration.ofSeconds(2));

        assertThat(ModelErrorKind.of(new RateLimitException(tooMany))).isEqualTo(ModelErrorKind.RATE_LIMITED);
        assertThat(ModelErrorKind.of(new InternalServerException("boom"))).isEqualTo(ModelErrorKind.SERVER_ERROR);
        assertThat(ModelErrorKind.of(new TimeoutException("slow"))).isEqualTo(ModelErrorKind.TIMEOUT);
        assertThat(ModelErrorKind.of(new UncheckedIOException(new ConnectException("Connection refused"))))
                .isEqualTo(ModelErrorKind.UNREACHABLE);
        assertThat(ModelErrorKind.of(new AuthenticationException("bad key"))).isEqualTo(ModelErrorKind.AUTHENTICATION);
        assertThat(ModelErrorKind.of(new InvalidRequestException("too long")))
                .isEqualTo(ModelErrorKind.INVALID_REQUEST);
        assertThat(ModelErrorKind.of(new IllegalStateException("parse"))).isEqualTo(ModelErrorKind.OTHER);

        assertThat(ModelErrorKind.RATE_LIMITED.retriable()).isTrue();
        assertThat(ModelErrorKind.UNREACHABLE.retriable()).isTrue();
        assertThat(ModelErrorKind.AUTHENTICATION.retriable()).isFalse();
        assertThat(ModelErrorKind.INVALID_REQUEST.retriable()).isFalse();
        assertThat(ModelErrorKind.AUTHENTICATION.serverFault()).isTrue();
        assertThat(ModelErrorKind.INVALID_REQUEST.serverFault()).isFalse();
    }

    @Test
    void should_find_the_retry_after_under_the_mapped_exception() {
        RateLimitException mapped = new RateLimitException(new ModelHttpException(429, "", Duration.ofSeconds(3)));

        assertThat(ModelHttpException.in(mapped).flatMap(ModelHttpException::retryAfter))
                .contains(Duration.ofSeconds(3));
    }

    @ParameterizedTest
    @CsvSource({"429, RATE_LIMITED", "500, SERVER_ERROR", "503, SERVER_ERROR", "408, TIMEOUT",
            "401, AUTHENTICATION", "403, AUTHENTICATION", "404, NOT_FOUND", "400, INVALID_REQUEST"})
    void should_classify_bare_http_statuses(int status, ModelErrorKind kind) {
        assertThat(ModelErrorKind.of(new ModelHttpException(status, "", null))).isEqualTo(kind);
    }

    @Test
    void should_read_retry_after_as_seconds_or_as_a_date() {
        Clock clock = Clock.fixed(Instant.parse("2024-06-01T10:00:00Z"), ZoneOffset.UTC);

        assertThat(RetryAfter.parse("2", clock)).contains(Duration.ofSeconds(2));
        assertThat(RetryAfter.parse("0.5", clock)).contains(Duration.ofMillis(500));
        assertThat(RetryAfter.parse("Sat, 01 Jun 2024 10:00:30 GMT", clock)).contains(Duration.ofSeconds(30));
        assertThat(RetryAfter.parse("Sat, 01 Jun 2024 09:00:00 GMT", clock)).contains(Duration.ZERO);
        assertThat(RetryAfter.parse("soon", clock)).isEmpty();
        assertThat(RetryAfter.parse("-1", clock)).isEmpty();
    }

    @Test
    void should_wait_what_the_server_asks_capped_at_the_longest_backoff() {
        ResilienceGuards guards = new ResilienceGuards(ResilienceSettings.builder()
                .initialBackoff(Duration.ofMillis(100)).maxBackoff(Duration.ofSeconds(5)).build());

        assertThat(guards.wait(1, new RateLimitException(new ModelHttpException(429, "", Duration.ofSeconds(2)))))
                .isEqualTo(Duration.ofSeconds(2));
        assertThat(guards.wait(1, new RateLimitException(new ModelHttpException(429, "", Duration.ofMinutes(5)))))
                .isEqualTo(Duration.ofSeconds(5));
        assertThat(guards.wait(1, new InternalServerException("boom")))
                .isBetween(Duration.ofMillis(50), Duration.ofMillis(150));
        assertThat(guards.wait(3, new InternalServerException("boom")))
                .isBetween(Duration.ofMillis(200), Duration.ofMillis(600));
    }
}
