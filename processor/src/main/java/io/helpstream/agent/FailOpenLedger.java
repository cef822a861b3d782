package io.helpstream.agent;

import io.helpstream.tickets.SupportRepositoryException;
import io.helpstream.tickets.TokenLedger;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The token ledger as the budget uses it: a budget limits cost, it does not authorize, so when PostgreSQL cannot
 * count, the model call goes on. After a failure the ledger is left alone for {@link #PAUSE} (reads count nothing,
 * additions are dropped), so that an outage does not add a database wait to every model call; one warning per spell.
 */
final class FailOpenLedger implements TokenLedger {

    static final Duration PAUSE = Duration.ofSeconds(30);
    private static final Logger log = LoggerFactory.getLogger(FailOpenLedger.class);

    private final TokenLedger ledger;
    private final Clock clock;
    private volatile long pausedUntil;

    FailOpenLedger(TokenLedger ledger, Clock clock) {
        this.ledger = Objects.requireNonNull(ledger, "ledger");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public long spent(String email, LocalDate day) {
        if (paused()) {
            return 0;
        }
        try {
            return ledger.spent(email, day);
        } catch (SupportRepositoryException e) {
            pause(e);
            return 0;
        }
    }

    @Override
    public void add(String email, LocalDate day, long tokens) {
        if (paused()) {
            return;
        }
        try {
            ledger.add(email, day, tokens);
        } catch (SupportRepositoryException e) {
            pause(e);
        }
    }

    private boolean paused() {
        return clock.millis() < pausedUntil;
    }

    private void pause(SupportRepositoryException e) {
        pausedUntil = clock.millis() + PAUSE.toMillis();
        log.warn("Cannot count the customers' tokens of the day ({}); the budget is not enforced for {}",
                e.getClass().getSimpleName(), PAUSE);
    }
}
