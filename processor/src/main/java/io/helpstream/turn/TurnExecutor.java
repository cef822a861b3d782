package io.helpstream.turn;

import io.helpstream.protection.Redaction;
import io.helpstream.fencing.Fence;
import io.helpstream.fencing.TaskFences;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.context.Context;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.Semaphore;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs turns off the stream thread, at most {@code maxInFlight} at once across all conversations of this instance.
 * A turn is only accepted when a slot is free ({@link #trySubmit}); callers keep the conversations that wait for a
 * slot themselves, so at most {@code maxInFlight} conversation copies exist outside the store at any time.
 *
 * <p>Every accepted turn ends in exactly one completion: its outcome, its failure (any {@link Throwable}, an
 * {@code Error} included), or a {@link TurnTimeoutException} when it runs past {@code turnTimeout}. A turn past its
 * deadline is interrupted and its slot freed at once; should it ignore the interrupt, its thread is abandoned (the
 * pool grows a new one) and whatever it returns later is discarded.
 *
 * <p>The caller keeps one turn per conversation in flight, so order within a conversation holds while many
 * conversations proceed in parallel.
 *
 * <p>It also hands out the fences turns write under ({@link #claimFence}): a turn past its deadline has its fence
 * revoked as it is failed, so it writes nothing more even if it ignores the interrupt.
 *
 * <p>Slots are shared fairly by every task of the instance, whatever their stream thread: a waiting conversation holds
 * a ticket in the instance's {@link TurnLine}, and a turn is accepted only when no other task holds an older one
 * ({@link #trySubmit(TurnRequest, TurnLine.Place, long, Consumer)}), so the oldest waiting conversation gets the next
 * free slot.
 */
public final class TurnExecutor implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(TurnExecutor.class);

    /** Turns running at once per instance, unless configured otherwise. */
    public static final int DEFAULT_MAX_IN_FLIGHT = 64;
    /** Longest a turn may run, unless configured otherwise: the model's own timeout and retries fit well within. */
    public static final Duration DEFAULT_TURN_TIMEOUT = Duration.ofMinutes(2);

    private final Agent agent;
    private final Duration turnTimeout;
    private final TaskFences fences;
    private final TurnLine line = new TurnLine(System::nanoTime);
    private final ThreadPoolExecutor pool;
    private final ScheduledThreadPoolExecutor deadlines;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final Semaphore slots;
    private final int maxInFlight;
    private final Settlement settlement = new Settlement();

    private final Timer duration;
    private final Counter succeeded;
    private final Counter failed;
    private final Counter timedOut;

    public TurnExecutor(Agent agent, int maxInFlight, MeterRegistry registry) {
        this(agent, maxInFlight, DEFAULT_TURN_TIMEOUT, registry);
    }

    /** With fences kept in this process only ({@link TaskFences#inMemory()}): for tests and benchmarks. */
    public TurnExecutor(Agent agent, int maxInFlight, Duration turnTimeout, MeterRegistry registry) {
        this(agent, maxInFlight, turnTimeout, TaskFences.inMemory(), registry);
    }

    public TurnExecutor(Agent agent, int maxInFlight, Duration turnTimeout, TaskFences fences,
                        MeterRegistry registry) {
        this.agent = Objects.requireNonNull(agent, "agent");
        this.fences = Objects.requireNonNull(fences, "fences");
        Objects.requireNonNull(turnTimeout, "turnTimeout");
        if (maxInFlight < 1) {
            throw new IllegalArgumentException("maxInFlight must be >= 1, was " + maxInFlight);
        }
        if (turnTimeout.isNegative() || turnTimeout.isZero()) {
            throw new IllegalArgumentException("turnTimeout must be positive, was " + turnTimeout);
        }
        this.turnTimeout = turnTimeout;
        this.maxInFlight = maxInFlight;
        this.slots = new Semaphore(maxInFlight);
        // The slots bound the turns running; the pool itself is unbounded so that a thread abandoned past its
        // deadline does not take a slot's thread away from the turns after it.
        this.pool = new ThreadPoolExecutor(0, Integer.MAX_VALUE, 60, TimeUnit.SECONDS, new SynchronousQueue<>(),
                daemonThreads("helpstream-turn-"));
        this.deadlines = new ScheduledThreadPoolExecutor(1, daemonThreads("helpstream-turn-deadline-"));
        deadlines.setRemoveOnCancelPolicy(true);
        this.duration = Timer.builder("helpstream.turn.duration").description("Time a turn takes, model and tools")
                .publishPercentiles(0.5, 0.99).register(registry);
        this.succeeded = Counter.builder("helpstream.turns").tag("result", "succeeded").register(registry);
        this.failed = Counter.builder("helpstream.turns").tag("result", "failed").register(registry);
        this.timedOut = Counter.builder("helpstream.turns").tag("result", "timed_out").register(registry);
        registry.gauge("helpstream.turns.in.flight", inFlight);
    }

    private static ThreadFactory daemonThreads(String prefix) {
        AtomicInteger threads = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, prefix + threads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

    /** A ticket in the instance's line, for a conversation that starts waiting now. */
    public long ticket() {
        return line.ticket();
    }

    /** A place in the line for one life of a task, which reports its oldest ticket at least every {@code every}. */
    public TurnLine.Place place(Duration every) {
        return line.place(every);
    }

    /** True when a slot is free and no other task holds a ticket older than {@code ticket}. */
    public boolean mayStart(TurnLine.Place place, long ticket) {
        return slots.availablePermits() > 0 && line.first(place, ticket);
    }

    /** {@link #trySubmit(TurnRequest, TurnLine.Place, long, Consumer)} behind every conversation waiting now. */
    public Optional<TurnHandle> trySubmit(TurnRequest request, Consumer<TurnCompletion> onDone) {
        return trySubmit(request, null, line.ticket(), onDone);
    }

    /**
     * Starts the turn if a slot is free and no other task holds a ticket older than {@code ticket}; {@code onDone} is
     * called exactly once, on a turn or deadline thread, when it finishes, whatever the result (never for a turn
     * cancelled before it started). Empty when it must wait: the caller tries again later.
     *
     * @param place the caller's place in the line (null: none), whose own tickets do not hold it up
     */
    public Optional<TurnHandle> trySubmit(TurnRequest request, TurnLine.Place place, long ticket,
                                          Consumer<TurnCompletion> onDone) {
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(onDone, "onDone");
        if (settlement.draining() || !line.first(place, ticket) || !slots.tryAcquire()) {
            return Optional.empty();
        }
        settlement.accepted();
        TurnHandle handle = new TurnHandle(request);
        Run run = new Run(handle, onDone);
        try {
            run.deadline = deadlines.schedule(run::expire, turnTimeout.toNanos(), TimeUnit.NANOSECONDS);
            // The caller's trace context (the turn's span) goes with the turn to its thread.
            pool.execute(Context.current().wrap(run::execute));
        } catch (RejectedExecutionException e) {
            run.finish(null);
            settlement.settled();
            throw e;
        }
        return Optional.of(handle);
    }

    /**
     * Claims the fence of a task for a new owner (see {@link TaskFences#claim}); a claim that waits on the database
     * runs on a turn thread, never on the caller's.
     */
    public CompletableFuture<Fence> claimFence(String scope) {
        Objects.requireNonNull(scope, "scope");
        if (!fences.blocking()) {
            try {
                return CompletableFuture.completedFuture(fences.claim(scope));
            } catch (RuntimeException e) {
                return CompletableFuture.failedFuture(e);
            }
        }
        return CompletableFuture.supplyAsync(() -> fences.claim(scope), pool);
    }

    /** The request's messages are answered (their reply is being committed); tells the agent. Does not block. */
    public void answered(TurnRequest request) {
        try {
            agent.answered(request);
        } catch (RuntimeException e) {
            log.warn("The agent failed to note that message {} was answered: {}", request.messageId(), e.toString());
        }
    }

    /**
     * The caller has applied (or discarded) a completion this executor reported: the turn is over for good. Every
     * reported completion must be settled once, so that {@link #drain} knows when nothing is left to apply.
     */
    public void settled() {
        settlement.settled();
    }

    /**
     * Stops accepting turns and waits, at most {@code grace}, until every accepted turn has finished and its
     * completion was settled by the stream thread: then closing the stream threads commits every answer made, and
     * no finished turn is run again by whoever owns its task next. A turn still running after the grace is left to
     * its fence and its journal: the next owner replays what it recorded.
     *
     * @return true when nothing was left running or unapplied
     */
    public boolean drain(Duration grace) throws InterruptedException {
        return settlement.drain(grace, () -> maxInFlight - slots.availablePermits());
    }

    /** True once {@link #drain} was called: no turn is accepted any more. */
    public boolean draining() {
        return settlement.draining();
    }

    /** Slots free right now. */
    public int freeSlots() {
        return slots.availablePermits();
    }

    public Duration turnTimeout() {
        return turnTimeout;
    }

    /** One accepted turn: ends once, by its own result or by its deadline, whichever comes first. */
    private final class Run {
        private final TurnHandle handle;
        private final Consumer<TurnCompletion> onDone;
        private final AtomicBoolean finished = new AtomicBoolean();
        private Thread runner;
        private volatile ScheduledFuture<?> deadline;

        Run(TurnHandle handle, Consumer<TurnCompletion> onDone) {
            this.handle = handle;
            this.onDone = onDone;
        }

        void execute() {
            synchronized (this) {
                runner = Thread.currentThread();
            }
            try {
                if (handle.cancelled()) {
                    if (finish(null)) {
                        settlement.settled();
                    }
                    return;
                }
                TurnCompletion completion = run(handle.request());
                // Counted before it is reported, so whoever receives the completion sees it counted.
                if (!finish(completion, () -> (completion.failure() == null ? succeeded : failed).increment())) {
                    log.info("Discarded the late result of the turn for message {} of conversation {}",
                            handle.request().messageId(), handle.request().conversationId());
                }
            } finally {
                synchronized (this) {
                    runner = null;
                }
                // An interrupt aimed at this turn must not reach the next task of this pooled thread.
                Thread.interrupted();
            }
        }

        void expire() {
            if (!finished.compareAndSet(false, true)) {
                return;
            }
            TurnRequest request = handle.request();
            timedOut.increment();
            log.warn("Turn for message {} of conversation {} (attempt {}) ran past its {} deadline; failing it",
                    request.messageId(), request.conversationId(), request.attempt(), turnTimeout);
            request.fence().revoke();
            synchronized (this) {
                if (runner != null) {
                    runner.interrupt();
                }
            }
            release(new TurnCompletion(request, null, new TurnTimeoutException(request, turnTimeout)));
        }

        /** Ends the turn if nothing ended it yet: frees its slot and reports {@code completion} (null: nobody). */
        boolean finish(TurnCompletion completion) {
            return finish(completion, () -> { });
        }

        /** As {@link #finish(TurnCompletion)}, running {@code first} once the turn is known to end here. */
        boolean finish(TurnCompletion completion, Runnable first) {
            if (!finished.compareAndSet(false, true)) {
                return false;
            }
            first.run();
            release(completion);
            return true;
        }

        private void release(TurnCompletion completion) {
            ScheduledFuture<?> pending = deadline;
            if (pending != null) {
                pending.cancel(false);
            }
            slots.release();
            if (completion != null) {
                try {
                    onDone.accept(completion);
                } catch (RuntimeException e) {
                    log.error("Completion callback of the turn for message {} failed", completion.request()
                            .messageId(), e);
                }
            }
        }
    }

    /** Runs the turn with its ids and trace id in every line it logs. */
    private TurnCompletion run(TurnRequest request) {
        SpanContext span = Span.current().getSpanContext();
        try (TurnLogContext ignored = TurnLogContext.of(request,
                span.isValid() ? Optional.of(span.getTraceId()) : Optional.empty())) {
            return attempt(request);
        }
    }

    private TurnCompletion attempt(TurnRequest request) {
        inFlight.incrementAndGet();
        long start = System.nanoTime();
        try {
            TurnOutcome outcome = agent.respond(request);
            if (outcome == null) {
                throw new IllegalStateException("the agent returned no outcome");
            }
            return new TurnCompletion(request, outcome, null);
        } catch (VirtualMachineError e) {
            // Ends this turn as failed; whatever is short (stack, memory) is given back as the turn unwinds.
            log.error("Turn for message {} of conversation {} failed (attempt {}) with {}", request.messageId(),
                    request.conversationId(), request.attempt(), Redaction.describe(e));
            return new TurnCompletion(request, null, e);
        } catch (Throwable e) {
            log.warn("Turn for message {} of conversation {} failed (attempt {}): {}", request.messageId(),
                    request.conversationId(), request.attempt(), Redaction.describe(e));
            log.debug("Turn for message {} failed", request.messageId(), e);
            return new TurnCompletion(request, null, e);
        } finally {
            duration.record(Duration.ofNanos(System.nanoTime() - start));
            inFlight.decrementAndGet();
        }
    }

    @Override
    public void close() {
        deadlines.shutdownNow();
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
