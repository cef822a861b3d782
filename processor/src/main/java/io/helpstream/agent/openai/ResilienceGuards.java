package io.helpstream.agent.openai;

import io.github.resilience4j.bulkhead.Bulkhead;
import io.github.resilience4j.bulkhead.BulkheadConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.core.IntervalFunction;
import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The resilience4j guards of one remote model, nested as Retry(CircuitBreaker(RateLimiter(Bulkhead(call)))): every
 * attempt passes the breaker, which sees each failure; an open breaker, a full bulkhead or no rate permit are not
 * retried, so a turn never waits longer than the retries plus one permit wait.
 */
final class ResilienceGuards {

    private static final Logger log = LoggerFactory.getLogger(ResilienceGuards.class);
    private static final double BACKOFF_MULTIPLIER = 2.0;
    private static final double JITTER = 0.5;

    private final ResilienceSettings settings;
    private final Retry retry;
    private final CircuitBreaker breaker;
    private final Optional<RateLimiter> rateLimiter;
    private final Bulkhead bulkhead;
    private final IntervalFunction backoff;

    ResilienceGuards(ResilienceSettings settings) {
        this.settings = settings;
        this.backoff = IntervalFunction.ofExponentialRandomBackoff(settings.initialBackoff(), BACKOFF_MULTIPLIER,
                JITTER, settings.maxBackoff());
        this.retry = Retry.of("model", RetryConfig.<Object>custom()
                .maxAttempts(settings.maxRetries() + 1)
                .retryOnException(failure -> ModelErrorKind.of(failure).retriable())
                .intervalBiFunction((attempt, result) -> wait(attempt,
                        result.isLeft() ? result.getLeft() : null).toMillis())
                .build());
        this.breaker = CircuitBreaker.of("model", CircuitBreakerConfig.custom()
                .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                .slidingWindowSize(settings.breakerWindow())
                .minimumNumberOfCalls(settings.breakerWindow())
                .failureRateThreshold(settings.breakerFailureRate())
                .waitDurationInOpenState(settings.breakerOpenDuration())
                .permittedNumberOfCallsInHalfOpenState(1)
                .ignoreException(failure -> !ModelErrorKind.of(failure).serverFault())
                .build());
        this.rateLimiter = settings.requestsPerMinute() == 0 ? Optional.empty()
                : Optional.of(RateLimiter.of("model", RateLimiterConfig.custom()
                        .limitForPeriod(settings.requestsPerMinute())
                        .limitRefreshPeriod(Duration.ofMinutes(1))
                        .timeoutDuration(settings.permitWait())
                        .build()));
        this.bulkhead = Bulkhead.of("model", BulkheadConfig.custom()
                .maxConcurrentCalls(settings.maxConcurrentCalls())
                .maxWaitDuration(settings.permitWait())
                .build());
        // The failure's message may hold the server's error body, which may echo the customer: kind only.
        retry.getEventPublisher().onRetry(event -> log.warn("Model call failed ({}), retry {} of {} in {} ms",
                ModelErrorKind.of(event.getLastThrowable()).tag(), event.getNumberOfRetryAttempts(),
                settings.maxRetries(), event.getWaitInterval().toMillis()));
        breaker.getEventPublisher().onStateTransition(event -> log.warn("Model circuit breaker: {}",
                event.getStateTransition()));
    }

    <T> Supplier<T> decorate(Supplier<T> call) {
        Supplier<T> guarded = Bulkhead.decorateSupplier(bulkhead, call);
        if (rateLimiter.isPresent()) {
            guarded = RateLimiter.decorateSupplier(rateLimiter.get(), guarded);
        }
        guarded = CircuitBreaker.decorateSupplier(breaker, guarded);
        return Retry.decorateSupplier(retry, guarded);
    }

    /** The server's {@code Retry-After} when it sent one (capped at the longest backoff), else backoff with jitter. */
    Duration wait(int attempt, Throwable failure) {
        Optional<Duration> asked = failure == null ? Optional.empty()
                : ModelHttpException.in(failure).flatMap(ModelHttpException::retryAfter);
        if (asked.isPresent()) {
            Duration wait = asked.get();
            return wait.compareTo(settings.maxBackoff()) > 0 ? settings.maxBackoff() : wait;
        }
        return Duration.ofMillis(backoff.apply(attempt));
    }

    CircuitBreaker.State breakerState() {
        return breaker.getState();
    }
}
