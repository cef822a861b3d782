package io.helpstream.journal;

import java.time.Duration;
import java.util.Objects;

/**
 * How long recorded steps are kept.
 *
 * @param retention how long a turn's steps stay after its message was answered (for audit); long enough that a
 *                  rerun of a message whose reply was not committed after all (its transaction aborted) still finds
 *                  them
 * @param maxAge    how long any step stays, answered or not: the steps of a turn whose answer no process lived to
 *                  mark
 */
public record JournalSettings(Duration retention, Duration maxAge) {

    public static final Duration DEFAULT_RETENTION = Duration.ofMinutes(5);
    /** Far longer than a commit interval: the steps outlive the transaction that publishes the reply. */
    public static final Duration MIN_RETENTION = Duration.ofSeconds(10);
    public static final Duration DEFAULT_MAX_AGE = Duration.ofDays(1);
    /** Marks of answered messages are written, and old steps removed, at most this far apart. */
    static final Duration SWEEP_EVERY = Duration.ofSeconds(5);

    public JournalSettings {
        Objects.requireNonNull(retention, "retention");
        Objects.requireNonNull(maxAge, "maxAge");
        if (retention.compareTo(MIN_RETENTION) < 0) {
            throw new IllegalArgumentException("retention must be at least " + MIN_RETENTION + ", was " + retention);
        }
        if (maxAge.compareTo(retention) < 0) {
            throw new IllegalArgumentException("maxAge " + maxAge + " is shorter than the retention " + retention);
        }
    }

    public static JournalSettings defaults() {
        return new JournalSettings(DEFAULT_RETENTION, DEFAULT_MAX_AGE);
    }

    /** How often answered messages are marked and old steps removed. */
    public Duration sweepInterval() {
        Duration half = retention.dividedBy(2);
        return half.compareTo(SWEEP_EVERY) < 0 ? half : SWEEP_EVERY;
    }
}
