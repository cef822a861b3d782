package io.helpstream.turn;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class TurnLineTest {

    private final AtomicLong now = new AtomicLong();
    private final TurnLine line = new TurnLine(now::get);

    @Test
    void should_hold_a_younger_ticket_up_behind_an_older_one_of_another_task_only() {
        TurnLine.Place a = line.place(Duration.ofMillis(10));
        TurnLine.Place b = line.place(Duration.ofMillis(10));
        long older = line.ticket();
        long younger = line.ticket();
        a.waiting(older);

        assertThat(line.first(b, younger)).isFalse();
        assertThat(line.first(a, younger)).as("a task's own waiting holds it up not").isTrue();
        assertThat(line.first(b, older)).isTrue();
        a.none();
        assertThat(line.first(b, younger)).isTrue();
    }

    @Test
    void should_not_heed_a_place_that_stopped_reporting_or_left() {
        TurnLine.Place stuck = line.place(Duration.ofMillis(10));
        TurnLine.Place gone = line.place(Duration.ofMillis(10));
        TurnLine.Place other = line.place(Duration.ofMillis(10));
        long older = line.ticket();
        stuck.waiting(older);
        gone.waiting(older);
        long younger = line.ticket();

        gone.close();
        assertThat(line.first(other, younger)).isFalse();
        now.addAndGet(Duration.ofMillis(99).toNanos());
        assertThat(line.first(other, younger)).isFalse();
        now.addAndGet(Duration.ofMillis(2).toNanos());
        assertThat(line.first(other, younger)).as("its thread is busy elsewhere: nobody waits for it").isTrue();
    }
}
