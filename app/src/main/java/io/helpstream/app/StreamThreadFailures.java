package io.helpstream.app;

import io.helpstream.protection.Redaction;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Objects;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What happens when a stream thread dies: it is replaced (its tasks recovered from their changelogs), unless
 * {@code maxFailures} threads already died within {@code window}; then the instance shuts down with an ERROR naming
 * the failure, rather than replacing threads in a loop over something a new thread cannot get past.
 */
final class StreamThreadFailures implements StreamsUncaughtExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(StreamThreadFailures.class);

    private final int maxFailures;
    private final Duration window;
    private final Clock clock;
    private final Deque<Instant> recent = new ArrayDeque<>();

    StreamThreadFailures(int maxFailures, Duration window, Clock clock) {
        if (maxFailures < 1) {
            throw new IllegalArgumentException("maxFailures must be >= 1, was " + maxFailures);
        }
        this.window = Objects.requireNonNull(window, "window");
        if (window.isNegative() || window.isZero()) {
            throw new IllegalArgumentException("window must be positive, was " + window);
        }
        this.maxFailures = maxFailures;
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public synchronized StreamThreadExceptionResponse handle(Throwable failure) {
        Instant now = clock.instant();
        recent.addLast(now);
        while (!recent.isEmpty() && !recent.peekFirst().isAfter(now.minus(window))) {
            recent.removeFirst();
        }
        if (recent.size() >= maxFailures) {
            log.error("Stream threads failed {} times within {} (HELPSTREAM_MAX_THREAD_FAILURES, "
                    + "HELPSTREAM_THREAD_FAILURE_WINDOW); shutting this instance down. Last failure: {}",
                    recent.size(), window, Redaction.describe(failure), failure);
            return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
        }
        log.error("Stream thread failed ({} of {} allowed within {}); replacing it", recent.size(), maxFailures - 1,
                window, failure);
        return StreamThreadExceptionResponse.REPLACE_THREAD;
    }
}
