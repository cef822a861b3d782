package io.helpstream.agent.openai;

import java.time.Duration;
import java.util.Objects;

/**
 * How calls to a remote model are protected.
 *
 * @param maxRetries            retries of one call after a retriable failure (429, 5xx, timeout, refused connection)
 * @param initialBackoff        wait before the first retry; doubles per retry, with jitter
 * @param maxBackoff            longest wait between retries, also the cap on a server's {@code Retry-After}
 * @param maxConcurrentCalls    model calls in flight at once in this instance (bulkhead)
 * @param requestsPerMinute     model calls started per minute; 0 means no limit
 * @param permitWait            longest wait for a bulkhead slot or a rate-limit permit before the call fails
 * @param breakerFailureRate    percentage of failed calls in the window that opens the circuit breaker
 * @param breakerWindow         calls the breaker looks at (and needs before it may open)
 * @param breakerOpenDuration   how long the breaker stays open before it lets trial calls through
 */
public record ResilienceSettings(int maxRetries, Duration initialBackoff, Duration maxBackoff, int maxConcurrentCalls,
                                 int requestsPerMinute, Duration permitWait, int breakerFailureRate,
                                 int breakerWindow, Duration breakerOpenDuration) {

    public ResilienceSettings {
        requireAtLeast(maxRetries, 0, "maxRetries");
        requirePositive(initialBackoff, "initialBackoff");
        requirePositive(maxBackoff, "maxBackoff");
        if (maxBackoff.compareTo(initialBackoff) < 0) {
            throw new IllegalArgumentException("maxBackoff " + maxBackoff + " is shorter than initialBackoff "
                    + initialBackoff);
        }
        requireAtLeast(maxConcurrentCalls, 1, "maxConcurrentCalls");
        requireAtLeast(requestsPerMinute, 0, "requestsPerMinute");
        Objects.requireNonNull(permitWait, "permitWait");
        if (permitWait.isNegative()) {
            throw new IllegalArgumentException("permitWait must not be negative, was " + permitWait);
        }
        if (breakerFailureRate < 1 || breakerFailureRate > 100) {
            throw new IllegalArgumentException("breakerFailureRate must be in [1, 100], was " + breakerFailureRate);
        }
        requireAtLeast(breakerWindow, 1, "breakerWindow");
        requirePositive(breakerOpenDuration, "breakerOpenDuration");
    }

    /** Three retries from 500 ms up to 30 s, 8 calls at once, no rate limit, breaker at 50 % of 10 calls for 30 s. */
    public static ResilienceSettings defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        return new Builder().maxRetries(maxRetries).initialBackoff(initialBackoff).maxBackoff(maxBackoff)
                .maxConcurrentCalls(maxConcurrentCalls).requestsPerMinute(requestsPerMinute).permitWait(permitWait)
                .breakerFailureRate(breakerFailureRate).breakerWindow(breakerWindow)
                .breakerOpenDuration(breakerOpenDuration);
    }

    private static void requireAtLeast(int value, int min, String name) {
        if (value < min) {
            throw new IllegalArgumentException(name + " must be >= " + min + ", was " + value);
        }
    }

    private static void requirePositive(Duration value, String name) {
        Objects.requireNonNull(value, name);
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, was " + value);
        }
    }

    public static final class Builder {
        private int maxRetries = 3;
        private Duration initialBackoff = Duration.ofMillis(500);
        private Duration maxBackoff = Duration.ofSeconds(30);
        private int maxConcurrentCalls = 8;
        private int requestsPerMinute;
        private Duration permitWait = Duration.ofSeconds(30);
        private int breakerFailureRate = 50;
        private int breakerWindow = 10;
        private Duration breakerOpenDuration = Duration.ofSeconds(30);

        private Builder() {
        }

        public Builder maxRetries(int value) {
            this.maxRetries = value;
            return this;
        }

        public Builder initialBackoff(Duration value) {
            this.initialBackoff = value;
            return this;
        }

        public Builder maxBackoff(Duration value) {
            this.maxBackoff = value;
            return this;
        }

        public Builder maxConcurrentCalls(int value) {
            this.maxConcurrentCalls = value;
            return this;
        }

        public Builder requestsPerMinute(int value) {
            this.requestsPerMinute = value;
            return this;
        }

        public Builder permitWait(Duration value) {
            this.permitWait = value;
            return this;
        }

        public Builder breakerFailureRate(int value) {
            this.breakerFailureRate = value;
            return this;
        }

        public Builder breakerWindow(int value) {
            this.breakerWindow = value;
            return this;
        }

        public Builder breakerOpenDuration(Duration value) {
            this.breakerOpenDuration = value;
            return this;
        }

        public ResilienceSettings build() {
            return new ResilienceSettings(maxRetries, initialBackoff, maxBackoff, maxConcurrentCalls,
                    requestsPerMinute, permitWait, breakerFailureRate, breakerWindow, breakerOpenDuration);
        }
    }
}
