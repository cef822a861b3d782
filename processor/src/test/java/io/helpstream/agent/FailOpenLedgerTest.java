package io.helpstream.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.helpstream.tickets.SupportRepositoryException;
import io.helpstream.tickets.TokenLedger;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class FailOpenLedgerTest {

    private Instant now = Instant.parse("2026-01-01T00:00:00Z");
    private final Clock clock = new Clock() {
        @Override
        public ZoneId getZone() {
            return ZoneId.of("UTC");
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    };

    @Test
    void should_count_nothing_and_leave_a_failing_ledger_alone_for_the_pause_then_ask_again() {
        AtomicInteger calls = new AtomicInteger();
        TokenLedger down = new TokenLedger() {
            @Override
            public long spent(String email, LocalDate day) {
                calls.incrementAndGet();
                throw new SupportRepositoryException("read", new IllegalStateException("down"));
            }

            @Override
            public void add(String email, LocalDate day, long tokens) {
                calls.incrementAndGet();
                throw new SupportRepositoryException("add", new IllegalStateException("down"));
            }
        };
        FailOpenLedger ledger = new FailOpenLedger(down, clock);
        LocalDate day = LocalDate.of(2026, 1, 1);

        assertThat(ledger.spent("jane@example.com", day)).isZero();
        ledger.add("jane@example.com", day, 10);
        now = now.plus(FailOpenLedger.PAUSE).minusMillis(1);
        assertThat(ledger.spent("jane@example.com", day)).isZero();
        assertThat(calls).hasValue(1);

        now = now.plusMillis(1);
        ledger.add("jane@example.com", day, 10);
        assertThat(calls).hasValue(2);
    }
}
