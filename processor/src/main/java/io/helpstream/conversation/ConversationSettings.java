package io.helpstream.conversation;

import java.time.Duration;
import java.util.Objects;

/**
 * How conversations are kept and turns are scheduled.
 *
 * @param historyWindow      answered turns kept in the state and shown to the model
 * @param recentMessageIds   message ids remembered to drop redeliveries
 * @param maxTextChars       longest accepted message text; longer goes to the dead-letter topic
 * @param idleTimeout        a conversation with no pending work and no activity for this long ends
 * @param expiryScanInterval how often idle conversations are looked for
 * @param applyInterval      how often finished turns are applied on the stream thread
 * @param maxTurnAttempts    tries of one message before it is answered with an apology
 * @param retryBackoff       wait before the second try; doubles with each further try
 */
public record ConversationSettings(int historyWindow, int recentMessageIds, int maxTextChars, Duration idleTimeout,
                                   Duration expiryScanInterval, Duration applyInterval, int maxTurnAttempts,
                                   Duration retryBackoff) {

    public ConversationSettings {
        positive("historyWindow", historyWindow);
        positive("recentMessageIds", recentMessageIds);
        positive("maxTextChars", maxTextChars);
        positive("maxTurnAttempts", maxTurnAttempts);
        positive("idleTimeout", idleTimeout);
        positive("expiryScanInterval", expiryScanInterval);
        positive("applyInterval", applyInterval);
        positive("retryBackoff", retryBackoff);
    }

    public static ConversationSettings defaults() {
        return new ConversationSettings(10, 256, 4000, Duration.ofMinutes(30), Duration.ofMinutes(1),
                Duration.ofMillis(10), 3, Duration.ofSeconds(1));
    }

    public ConversationSettings withIdleTimeout(Duration timeout, Duration scanInterval) {
        return new ConversationSettings(historyWindow, recentMessageIds, maxTextChars, timeout, scanInterval,
                applyInterval, maxTurnAttempts, retryBackoff);
    }

    /** Backoff before the given attempt (2 = first retry). */
    public Duration backoffBefore(int attempt) {
        int doublings = Math.min(Math.max(attempt - 2, 0), 10);
        Duration backoff = retryBackoff.multipliedBy(1L << doublings);
        return backoff.compareTo(Duration.ofMinutes(1)) > 0 ? Duration.ofMinutes(1) : backoff;
    }

    private static void positive(String name, int value) {
        if (value <= 0) {
            throw new IllegalArgumentException(name + " must be positive, was " + value);
        }
    }

    private static void positive(String name, Duration value) {
        Objects.requireNonNull(value, name);
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, was " + value);
        }
    }
}
