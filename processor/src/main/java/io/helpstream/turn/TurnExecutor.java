package io.helpstream.turn;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs turns off the stream thread, at most {@code maxInFlight} at once across all conversations of this instance.
 * A turn is only accepted when a slot is free ({@link #trySubmit}); callers keep the conversations that wait for a
 * slot themselves, so at most {@code maxInFlight} conversation copies exist outside the store at any time.
 *
 * <p>The caller keeps one turn per conversation in flight, so order within a conversation holds while many
 * conversations proceed in parallel.
 */
public final class TurnExecutor implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(TurnExecutor.class);

    private final Agent agent;
    private final ThreadPoolExecutor pool;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final Semaphore slots;
    /** Turns running at once per instance, unless configured otherwise. */
    public static final int DEFAULT_MAX_IN_FLIGHT = 64;

    private final Timer duration;
    private final Counter succeeded;
    private final Counter failed;

    public TurnExecutor(Agent agent, int maxInFlight, MeterRegistry registry) {
        this.agent = Objects.requireNonNull(agent, "agent");
        if (maxInFlight < 1) {
            throw new IllegalArgumentException("maxInFlight must be >= 1, was " + maxInFlight);
        }
        this.slots = new Semaphore(maxInFlight);
        AtomicInteger threads = new AtomicInteger();
        this.pool = new ThreadPoolExecutor(maxInFlight, maxInFlight, 60, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), runnable -> {
                    Thread thread = new Thread(runnable, "helpstream-turn-" + threads.incrementAndGet());
                    thread.setDaemon(true);
                    return thread;
                });
        pool.allowCoreThreadTimeOut(true);
        this.duration = Timer.builder("helpstream.turn.duration").description("Time a turn takes, model and tools")
                .publishPercentiles(0.5, 0.99).register(registry);
        this.succeeded = Counter.builder("helpstream.turns").tag("result", "succeeded").register(registry);
        this.failed = Counter.builder("helpstream.turns").tag("result", "failed").register(registry);
        registry.gauge("helpstream.turns.in.flight", inFlight);
    }

    /**
     * Starts the turn if a slot is free; {@code onDone} is called on a turn thread when it finishes, whatever the
     * result. Empty when all slots are taken: the caller tries again later.
     */
    public Optional<TurnHandle> trySubmit(TurnRequest request, Consumer<TurnCompletion> onDone) {
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(onDone, "onDone");
        if (!slots.tryAcquire()) {
            return Optional.empty();
        }
        TurnHandle handle = new TurnHandle(request);
        try {
            pool.execute(() -> {
                try {
                    if (!handle.cancelled()) {
                        onDone.accept(run(request));
                    }
                } finally {
                    slots.release();
                }
            });
        } catch (RejectedExecutionException e) {
            slots.release();
            throw e;
        }
        return Optional.of(handle);
    }

    /** Slots free right now. */
    public int freeSlots() {
        return slots.availablePermits();
    }

    private TurnCompletion run(TurnRequest request) {
        inFlight.incrementAndGet();
        long start = System.nanoTime();
        try {
            TurnOutcome outcome = agent.respond(request);
            if (outcome == null) {
                throw new IllegalStateException("the agent returned no outcome");
            }
            succeeded.increment();
            return new TurnCompletion(request, outcome, null);
        } catch (VirtualMachineError e) {
            throw e;
        } catch (Throwable e) {
            failed.increment();
            log.warn("Turn for message {} of conversation {} failed (attempt {}): {}", request.messageId(),
                    request.conversationId(), request.attempt(), e.toString());
            return new TurnCompletion(request, null, e);
        } finally {
            duration.record(Duration.ofNanos(System.nanoTime() - start));
            inFlight.decrementAndGet();
        }
    }

    @Override
    public void close() {
        pool.shutdownNow();
        try {
            if (!pool.awaitTermination(10, TimeUnit.SECONDS)) {
                log.warn("Turn threads still running after 10 s; they are abandoned (their writes are idempotent)");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
