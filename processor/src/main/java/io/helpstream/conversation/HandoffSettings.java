package io.helpstream.conversation;

import java.time.Duration;
import java.util.Objects;

/**
 * When a conversation is handed off to a human, and what happens when nobody accepts it in time.
 *
 * @param tool                  the agent may call {@code handOffToHuman}
 * @param onCustomerRequest     a message that explicitly asks for a person hands off at once, before any turn
 * @param afterFailedTurns      this many turns in a row answered by the fallback model or with the apology hand off;
 *                              0 switches the trigger off
 * @param onBudgetRefusal       a message refused by a budget hands off
 * @param onVerificationFailure a one-time code whose attempts are used up hands off
 * @param timeout               how long a conversation waits for a human before the customer is told and the
 *                              policy applies
 * @param timeoutPolicy         what a timeout does next
 * @param announceAccept        the customer is told when a human accepts
 */
public record HandoffSettings(boolean tool, boolean onCustomerRequest, int afterFailedTurns,
                              boolean onBudgetRefusal, boolean onVerificationFailure, Duration timeout,
                              TimeoutPolicy timeoutPolicy, boolean announceAccept) {

    public static final int DEFAULT_AFTER_FAILED_TURNS = 3;
    public static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(10);

    /** What a conversation that waited too long for a human does next. */
    public enum TimeoutPolicy {
        /** Keep waiting: the customer gets an update and the timer starts again. */
        KEEP_WAITING,
        /** Back to the bot, which answers the messages that waited. */
        RETURN_TO_BOT
    }

    public HandoffSettings {
        if (afterFailedTurns < 0) {
            throw new IllegalArgumentException("afterFailedTurns must not be negative, was " + afterFailedTurns);
        }
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive, was " + timeout);
        }
        Objects.requireNonNull(timeoutPolicy, "timeoutPolicy");
    }

    public static HandoffSettings defaults() {
        return new HandoffSettings(true, true, DEFAULT_AFTER_FAILED_TURNS, true, true, DEFAULT_TIMEOUT,
                TimeoutPolicy.KEEP_WAITING, true);
    }

    /** Every automatic trigger switched off; the agent's tool only. */
    public static HandoffSettings toolOnly() {
        return new HandoffSettings(true, false, 0, false, false, DEFAULT_TIMEOUT, TimeoutPolicy.KEEP_WAITING, true);
    }

    public HandoffSettings withTimeout(Duration otherTimeout, TimeoutPolicy policy) {
        return new HandoffSettings(tool, onCustomerRequest, afterFailedTurns, onBudgetRefusal, onVerificationFailure,
                otherTimeout, policy, announceAccept);
    }

    public HandoffSettings withTriggers(boolean customerRequest, int failedTurns, boolean budgetRefusal,
                                        boolean verificationFailure) {
        return new HandoffSettings(tool, customerRequest, failedTurns, budgetRefusal, verificationFailure, timeout,
                timeoutPolicy, announceAccept);
    }

    public HandoffSettings withTool(boolean enabled) {
        return new HandoffSettings(enabled, onCustomerRequest, afterFailedTurns, onBudgetRefusal,
                onVerificationFailure, timeout, timeoutPolicy, announceAccept);
    }

    public HandoffSettings withAnnounceAccept(boolean announce) {
        return new HandoffSettings(tool, onCustomerRequest, afterFailedTurns, onBudgetRefusal, onVerificationFailure,
                timeout, timeoutPolicy, announce);
    }
}
