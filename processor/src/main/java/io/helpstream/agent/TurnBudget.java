package io.helpstream.agent;

import io.helpstream.security.Budgets;
import io.helpstream.tickets.TokenLedger;
import io.helpstream.tools.TurnContext;
import java.time.LocalDate;

/**
 * What one turn may still spend on the model, checked before each of its model calls: the model calls of the message,
 * and the tokens the verified customer spent today (read from PostgreSQL once per turn, before its first model call
 * as a verified customer, so every instance counts the same). A
 * conversation that is anonymous or only claimed spends no customer's budget: an attacker cannot exhaust someone
 * else's day by typing their email; such conversations are bounded by the tokens-per-conversation budget.
 *
 * <p>The day's count is a budget, not an authorization: the ledger it is given fails open ({@link FailOpenLedger}).
 */
final class TurnBudget {

    /** A budget is spent: the turn ends with the fixed reply. */
    static final class Exceeded extends RuntimeException {
        private final Budgets.Kind kind;

        Exceeded(Budgets.Kind kind) {
            super("over the budget " + kind, null, false, false);
            this.kind = kind;
        }

        Budgets.Kind kind() {
            return kind;
        }
    }

    private final TurnContext turn;
    private final int maxModelCalls;
    private final long maxTokensPerDay;
    private final TokenLedger ledger;
    private final LocalDate day;
    private int modelCalls;
    /** The verified customer's tokens of the day as read for this turn; -1 until read. */
    private long spentToday = -1;

    TurnBudget(TurnContext turn, int maxModelCalls, long maxTokensPerDay, TokenLedger ledger, LocalDate day) {
        this.turn = turn;
        this.maxModelCalls = maxModelCalls;
        this.maxTokensPerDay = maxTokensPerDay;
        this.ledger = ledger;
        this.day = day;
    }

    /** Takes one model call; throws {@link Exceeded} when the message or the customer's day has none left. */
    synchronized void beforeModelCall() {
        if (modelCalls >= maxModelCalls) {
            throw new Exceeded(Budgets.Kind.MODEL_CALLS_PER_MESSAGE);
        }
        if (turn.verified() && spentToday < 0) {
            // Once per turn, before its first model call as the customer: the count moves only as turns finish.
            spentToday = ledger.spent(turn.customer().orElseThrow().getEmail(), day);
        }
        if (spentToday >= maxTokensPerDay) {
            throw new Exceeded(Budgets.Kind.TOKENS_PER_CUSTOMER_PER_DAY);
        }
        modelCalls++;
    }

    synchronized int modelCalls() {
        return modelCalls;
    }

    /** Adds the turn's tokens to the verified customer's day. */
    void spent(long tokens) {
        if (!turn.verified()) {
            return;
        }
        ledger.add(turn.customer().orElseThrow().getEmail(), day, tokens);
    }

    /** The budget refusal anywhere in a failure's cause chain, or null. */
    static Exceeded exceededIn(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof Exceeded exceeded) {
                return exceeded;
            }
        }
        return null;
    }
}
