package io.helpstream.turn;

import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * The instance-wide line for turn slots. Every conversation that waits for a slot takes a ticket, from one counter
 * for the whole instance; each life of a task holds a {@link Place} in the line and keeps it told the oldest ticket
 * among its waiting conversations. A slot goes to the oldest ticket, whichever task holds it: a task may start a turn
 * only when no other place reports an older one. A place that has not reported for a while (its task's thread is busy
 * elsewhere) holds nobody up.
 */
public final class TurnLine {

    private final AtomicLong tickets = new AtomicLong();
    private final Set<Place> places = ConcurrentHashMap.newKeySet();
    private final LongSupplier nanoTime;

    TurnLine(LongSupplier nanoTime) {
        this.nanoTime = Objects.requireNonNull(nanoTime, "nanoTime");
    }

    /** The next ticket: later than every one handed out before. */
    long ticket() {
        return tickets.incrementAndGet();
    }

    /**
     * A place for one life of a task, which reports at least every {@code reportEvery} while conversations wait in it;
     * a report older than five of those (and at least 100 ms) is no longer heeded.
     */
    Place place(Duration reportEvery) {
        Place place = new Place(Math.max(Duration.ofMillis(100).toNanos(), reportEvery.multipliedBy(5).toNanos()));
        places.add(place);
        return place;
    }

    /** True when no other place reports a conversation waiting since before {@code ticket}. */
    boolean first(Place mine, long ticket) {
        long now = nanoTime.getAsLong();
        for (Place other : places) {
            if (other != mine && other.holdsUp(ticket, now)) {
                return false;
            }
        }
        return true;
    }

    /** A task's place in the line: the oldest ticket among its waiting conversations, as it last reported. */
    public final class Place implements AutoCloseable {

        private final long heededFor;
        private volatile long oldest = Long.MAX_VALUE;
        private volatile long reportedAt;

        private Place(long heededFor) {
            this.heededFor = heededFor;
        }

        /** The oldest ticket of a conversation waiting here now. */
        public void waiting(long oldestTicket) {
            reportedAt = nanoTime.getAsLong();
            oldest = oldestTicket;
        }

        /** No conversation waits here (or none can start: the task holds no fence yet). */
        public void none() {
            oldest = Long.MAX_VALUE;
        }

        private boolean holdsUp(long ticket, long now) {
            return oldest < ticket && now - reportedAt < heededFor;
        }

        /** The task's life ended: its place leaves the line. */
        @Override
        public void close() {
            places.remove(this);
        }
    }
}
