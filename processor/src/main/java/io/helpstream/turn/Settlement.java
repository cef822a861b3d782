package io.helpstream.turn;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which accepted turns are not over for good yet: running, or finished and waiting for the stream thread to apply
 * (or discard) their completion. A draining executor accepts no more turns and waits until none is left.
 */
final class Settlement {

    private static final Logger log = LoggerFactory.getLogger(Settlement.class);
    private static final long CHECK_EVERY_MS = 10;

    private final AtomicInteger unsettled = new AtomicInteger();
    private volatile boolean draining;

    void accepted() {
        unsettled.incrementAndGet();
    }

    void settled() {
        unsettled.decrementAndGet();
    }

    boolean draining() {
        return draining;
    }

    /**
     * Stops accepting and waits at most {@code grace} until every accepted turn is settled and {@code running} turns
     * are none; true when that happened.
     */
    boolean drain(Duration grace, IntSupplier running) throws InterruptedException {
        draining = true;
        long deadline = System.nanoTime() + grace.toNanos();
        while (unsettled.get() > 0 || running.getAsInt() > 0) {
            if (System.nanoTime() - deadline >= 0) {
                log.warn("{} turns still running or unapplied after the {} shutdown grace; the next owner of their "
                        + "tasks replays them from their journal", Math.max(unsettled.get(), running.getAsInt()),
                        grace);
                return false;
            }
            Thread.sleep(CHECK_EVERY_MS);
        }
        return true;
    }
}
