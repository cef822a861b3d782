package io.helpstream.conversation;

import io.helpstream.security.Budgets;
import io.helpstream.security.VerificationSettings;
import io.helpstream.turn.TurnExecutor;
import java.time.Duration;
import java.util.Objects;

/**
 * How conversations are kept and turns are scheduled.
 *
 * @param historyWindow      answered turns kept in the state and shown to the model
 * @param dedupRetention     how long an accepted message id is remembered, so that its redelivery is dropped: at
 *                           least this long, whatever the count and whether or not the conversation ended
 * @param messageLimits      how large a message's text, channel and metadata may be (bytes); larger goes to the
 *                           dead-letter topic
 * @param inboxLimits        how much may wait for an answer in one conversation
 * @param idleTimeout        a conversation with no pending work and no activity for this long ends
 * @param expiryScanInterval how often idle conversations and lost turns are looked for
 * @param expiryBatch        most conversations looked at per expiry step on the stream thread; a longer backlog is
 *                           worked through in further steps, an apply interval apart
 * @param expiryStepTime     longest an expiry step goes on looking at further conversations: a step ends at this
 *                           time or at {@code expiryBatch} conversations, whichever comes first
 * @param applyInterval      how often finished turns are applied on the stream thread while any are pending
 * @param maxTurnAttempts    tries of one message before it is answered with an apology
 * @param retryBackoff       wait before the second try; doubles with each further try
 * @param turnTimeout        longest a turn may run before it is failed; a turn not back after twice this is lost
 * @param maxRecordBytes     largest encoded record written (reply, ticket event, conversation state); an outcome
 *                           or a message that would need a larger one is answered with the apology and dead-lettered
 * @param budgets            the conversation's share of the budgets: tokens per conversation, messages per minute
 * @param verification       attempts and lifetime of the one-time codes a claimed email is verified with
 * @param handoff            when a conversation is handed off to a human, and its timeout
 */
public record ConversationSettings(int historyWindow, Duration dedupRetention, MessageLimits messageLimits,
                                   InboxLimits inboxLimits, Duration idleTimeout, Duration expiryScanInterval,
                                   int expiryBatch, Duration expiryStepTime, Duration applyInterval,
                                   int maxTurnAttempts,
                                   Duration retryBackoff, Duration turnTimeout, int maxRecordBytes, Budgets budgets,
                                   VerificationSettings verification, HandoffSettings handoff) {

    public static final Duration DEFAULT_DEDUP_RETENTION = Duration.ofDays(7);
    public static final int DEFAULT_EXPIRY_BATCH = 250;
    /** Well below the 50 ms a stream thread may be held at a time, leaving room for a pause of the JVM. */
    public static final Duration DEFAULT_EXPIRY_STEP_TIME = Duration.ofMillis(10);

    /** Below the producer's default request size (1 MiB) with room for the key, headers and batch overhead. */
    public static final int DEFAULT_MAX_RECORD_BYTES = 1_000_000;
    /** A state must hold at least a full message and a reply to it. */
    public static final int MIN_MAX_RECORD_BYTES = 10_000;

    public ConversationSettings {
        positive("historyWindow", historyWindow);
        positive("dedupRetention", dedupRetention);
        Objects.requireNonNull(messageLimits, "messageLimits");
        Objects.requireNonNull(inboxLimits, "inboxLimits");
        positive("expiryBatch", expiryBatch);
        positive("expiryStepTime", expiryStepTime);
        positive("maxTurnAttempts", maxTurnAttempts);
        positive("idleTimeout", idleTimeout);
        positive("expiryScanInterval", expiryScanInterval);
        positive("applyInterval", applyInterval);
        positive("retryBackoff", retryBackoff);
        positive("turnTimeout", turnTimeout);
        if (maxRecordBytes < MIN_MAX_RECORD_BYTES) {
            throw new IllegalArgumentException("maxRecordBytes must be at least " + MIN_MAX_RECORD_BYTES + ", was "
                    + maxRecordBytes);
        }
        Objects.requireNonNull(budgets, "budgets");
        Objects.requireNonNull(verification, "verification");
        Objects.requireNonNull(handoff, "handoff");
    }

    /** The settings with the handoff defaults. */
    public ConversationSettings(int historyWindow, Duration dedupRetention, MessageLimits messageLimits,
                                InboxLimits inboxLimits, Duration idleTimeout, Duration expiryScanInterval,
                                int expiryBatch, Duration expiryStepTime, Duration applyInterval, int maxTurnAttempts,
                                Duration retryBackoff, Duration turnTimeout, int maxRecordBytes, Budgets budgets,
                                VerificationSettings verification) {
        this(historyWindow, dedupRetention, messageLimits, inboxLimits, idleTimeout, expiryScanInterval, expiryBatch,
                expiryStepTime, applyInterval, maxTurnAttempts, retryBackoff, turnTimeout, maxRecordBytes, budgets,
                verification, HandoffSettings.defaults());
    }

    public static ConversationSettings defaults() {
        return new ConversationSettings(10, DEFAULT_DEDUP_RETENTION, MessageLimits.defaults(), InboxLimits.defaults(),
                Duration.ofMinutes(30), Duration.ofMinutes(1), DEFAULT_EXPIRY_BATCH, DEFAULT_EXPIRY_STEP_TIME,
                Duration.ofMillis(10), 3, Duration.ofSeconds(1), TurnExecutor.DEFAULT_TURN_TIMEOUT,
                DEFAULT_MAX_RECORD_BYTES, Budgets.defaults(), VerificationSettings.defaults(),
                HandoffSettings.defaults());
    }

    public ConversationSettings withHistoryWindow(int window) {
        return new ConversationSettings(window, dedupRetention, messageLimits, inboxLimits, idleTimeout,
                expiryScanInterval, expiryBatch, expiryStepTime, applyInterval, maxTurnAttempts, retryBackoff,
                turnTimeout, maxRecordBytes, budgets, verification, handoff);
    }

    public ConversationSettings withDedupRetention(Duration retention) {
        return new ConversationSettings(historyWindow, retention, messageLimits, inboxLimits, idleTimeout,
                expiryScanInterval, expiryBatch, expiryStepTime, applyInterval, maxTurnAttempts, retryBackoff,
                turnTimeout, maxRecordBytes, budgets, verification, handoff);
    }

    public ConversationSettings withMessageLimits(MessageLimits limits) {
        return new ConversationSettings(historyWindow, dedupRetention, limits, inboxLimits, idleTimeout,
                expiryScanInterval, expiryBatch, expiryStepTime, applyInterval, maxTurnAttempts, retryBackoff,
                turnTimeout, maxRecordBytes, budgets, verification, handoff);
    }

    public ConversationSettings withInboxLimits(InboxLimits limits) {
        return new ConversationSettings(historyWindow, dedupRetention, messageLimits, limits, idleTimeout,
                expiryScanInterval, expiryBatch, expiryStepTime, applyInterval, maxTurnAttempts, retryBackoff,
                turnTimeout, maxRecordBytes, budgets, verification, handoff);
    }

    public ConversationSettings withIdleTimeout(Duration timeout, Duration scanInterval) {
        return new ConversationSettings(historyWindow, dedupRetention, messageLimits, inboxLimits, timeout,
                scanInterval, expiryBatch, expiryStepTime, applyInterval, maxTurnAttempts, retryBackoff, turnTimeout,
                maxRecordBytes, budgets, verification, handoff);
    }

    public ConversationSettings withExpiryBatch(int batch) {
        return new ConversationSettings(historyWindow, dedupRetention, messageLimits, inboxLimits, idleTimeout,
                expiryScanInterval, batch, expiryStepTime, applyInterval, maxTurnAttempts, retryBackoff, turnTimeout,
                maxRecordBytes, budgets, verification, handoff);
    }

    public ConversationSettings withExpiryStepTime(Duration stepTime) {
        return new ConversationSettings(historyWindow, dedupRetention, messageLimits, inboxLimits, idleTimeout,
                expiryScanInterval, expiryBatch, stepTime, applyInterval, maxTurnAttempts, retryBackoff, turnTimeout,
                maxRecordBytes, budgets, verification, handoff);
    }

    public ConversationSettings withTurns(int attempts, Duration backoff, Duration timeout) {
        return new ConversationSettings(historyWindow, dedupRetention, messageLimits, inboxLimits, idleTimeout,
                expiryScanInterval, expiryBatch, expiryStepTime, applyInterval, attempts, backoff, timeout,
                maxRecordBytes, budgets, verification, handoff);
    }

    public ConversationSettings withMaxRecordBytes(int recordBytes) {
        return new ConversationSettings(historyWindow, dedupRetention, messageLimits, inboxLimits, idleTimeout,
                expiryScanInterval, expiryBatch, expiryStepTime, applyInterval, maxTurnAttempts, retryBackoff,
                turnTimeout, recordBytes, budgets, verification, handoff);
    }

    public ConversationSettings withBudgets(Budgets otherBudgets) {
        return new ConversationSettings(historyWindow, dedupRetention, messageLimits, inboxLimits, idleTimeout,
                expiryScanInterval, expiryBatch, expiryStepTime, applyInterval, maxTurnAttempts, retryBackoff,
                turnTimeout, maxRecordBytes, otherBudgets, verification, handoff);
    }

    public ConversationSettings withVerification(VerificationSettings otherVerification) {
        return new ConversationSettings(historyWindow, dedupRetention, messageLimits, inboxLimits, idleTimeout,
                expiryScanInterval, expiryBatch, expiryStepTime, applyInterval, maxTurnAttempts, retryBackoff,
                turnTimeout, maxRecordBytes, budgets, otherVerification, handoff);
    }

    public ConversationSettings withHandoff(HandoffSettings otherHandoff) {
        return new ConversationSettings(historyWindow, dedupRetention, messageLimits, inboxLimits, idleTimeout,
                expiryScanInterval, expiryBatch, expiryStepTime, applyInterval, maxTurnAttempts, retryBackoff,
                turnTimeout, maxRecordBytes, budgets, verification, otherHandoff);
    }

    /** Backoff before the given attempt (2 = first retry). */
    public Duration backoffBefore(int attempt) {
        int doublings = Math.min(Math.max(attempt - 2, 0), 10);
        Duration backoff = retryBackoff.multipliedBy(1L << doublings);
        return backoff.compareTo(Duration.ofMinutes(1)) > 0 ? Duration.ofMinutes(1) : backoff;
    }

    /** How long after its start a turn that never reported back is taken for lost: twice its deadline. */
    public Duration lostTurnAfter() {
        return turnTimeout.multipliedBy(2);
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
