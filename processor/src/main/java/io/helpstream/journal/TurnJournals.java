package io.helpstream.journal;

import io.helpstream.fencing.FencedException;
import io.helpstream.journal.JournalEntry.Kind;
import io.helpstream.journal.TurnJournal.MessageRef;
import io.helpstream.turn.TurnRequest;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The journal as the agent uses it, one per instance: opens each run of a turn ({@link #open}), reading the steps of
 * earlier runs only for a turn that may follow one, and removes the steps of answered messages after the retention:
 * answers are marked in batches by a background sweep, which also removes what is past the retention or the maximum
 * age. A first, undisturbed attempt reads nothing.
 */
public final class TurnJournals implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(TurnJournals.class);

    private final TurnJournal store;
    private final JournalSettings settings;
    private final MeterRegistry registry;
    private final Counter failures;
    /** Turns this process recorded steps for and has not seen answered, with when: a fallback run must read them. */
    private final Map<MessageRef, Long> recordedHere = new ConcurrentHashMap<>();
    private final Queue<MessageRef> answered = new ConcurrentLinkedQueue<>();
    private ScheduledExecutorService sweeper;

    public TurnJournals(TurnJournal store, JournalSettings settings, MeterRegistry registry) {
        this.store = Objects.requireNonNull(store, "store");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.registry = Objects.requireNonNull(registry, "registry");
        this.failures = Counter.builder("helpstream.journal.failures")
                .description("Journal reads and writes that failed; the turn went on unrecorded")
                .register(registry);
    }

    /** A journal in memory, swept by hand: for tests. */
    public static TurnJournals inMemory(MeterRegistry registry) {
        return new TurnJournals(new InMemoryTurnJournal(Clock.systemUTC()), JournalSettings.defaults(), registry);
    }

    /** The run of {@code request}'s turn: with the steps recorded before, when it may follow another run. */
    public RecordedTurn open(TurnRequest request) {
        MessageRef turn = new MessageRef(request.conversationId(), request.messageId());
        List<String> answers = request.messages().stream().map(message -> message.getMessageId()).toList();
        if (!request.mayFollowAnotherAttempt() && !recordedHere.containsKey(turn)) {
            return new RecordedTurn(this, turn, answers, request.fence(), List.of(), false);
        }
        try {
            List<JournalEntry> recorded = store.recorded(turn.conversationId(), turn.messageId());
            return new RecordedTurn(this, turn, answers, request.fence(), recorded, false);
        } catch (FencedException e) {
            throw e;
        } catch (RuntimeException e) {
            failed("read the steps of the turn for message " + turn.messageId() + " of conversation "
                    + turn.conversationId(), e);
            return new RecordedTurn(this, turn, answers, request.fence(), List.of(), true);
        }
    }

    /** The message's reply is being published: its steps go after the retention. */
    public void answered(TurnRequest request) {
        MessageRef turn = new MessageRef(request.conversationId(), request.messageId());
        recordedHere.remove(turn);
        answered.add(turn);
    }

    /** Starts the background sweep. */
    public synchronized void start() {
        if (sweeper != null) {
            return;
        }
        sweeper = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "helpstream-journal-sweep");
            thread.setDaemon(true);
            return thread;
        });
        long every = settings.sweepInterval().toMillis();
        sweeper.scheduleWithFixedDelay(this::sweepQuietly, every, every, TimeUnit.MILLISECONDS);
    }

    /** Marks the messages answered since the last sweep and removes old steps; returns how many were removed. */
    public int sweep() {
        List<MessageRef> marks = new ArrayList<>();
        for (MessageRef turn; (turn = answered.poll()) != null; ) {
            marks.add(turn);
        }
        if (!marks.isEmpty()) {
            try {
                store.answered(marks);
            } catch (RuntimeException e) {
                // Kept for the next sweep; the maximum age removes them should the store stay away.
                answered.addAll(marks);
                throw e;
            }
        }
        long oldest = System.nanoTime() - settings.maxAge().toNanos();
        recordedHere.values().removeIf(since -> since - oldest < 0);
        return store.removeOld(settings.retention(), settings.maxAge());
    }

    private void sweepQuietly() {
        try {
            int removed = sweep();
            if (removed > 0) {
                log.debug("Removed {} journal steps past their retention", removed);
            }
        } catch (RuntimeException e) {
            failures.increment();
            log.warn("The turn journal could not be swept ({}); trying again in {}", e.toString(),
                    settings.sweepInterval());
        }
    }

    @Override
    public synchronized void close() {
        if (sweeper != null) {
            sweeper.shutdownNow();
            sweeper = null;
            sweepQuietly();
        }
    }

    TurnJournal store() {
        return store;
    }

    void recordedHere(MessageRef turn) {
        recordedHere.putIfAbsent(turn, System.nanoTime());
    }

    void counted(Kind kind, String result) {
        Counter.builder("helpstream.journal.steps").description("Turn steps recorded, and replayed by reruns")
                .tag("kind", kind.name().toLowerCase(Locale.ROOT)).tag("result", result).register(registry)
                .increment();
    }

    void failed(String what, RuntimeException e) {
        failures.increment();
        log.warn("The turn journal could not {} ({}); the turn goes on unrecorded from here", what, e.toString());
    }
}
