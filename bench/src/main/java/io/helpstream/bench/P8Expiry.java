package io.helpstream.bench;

import io.helpstream.app.Application;
import io.helpstream.contract.Replies;
import io.helpstream.localstack.ThrowawayEnvironment;
import io.helpstream.schema.AgentReply;
import io.helpstream.schema.ConversationEnded;
import io.helpstream.schema.CustomerMessage;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * P8: many stored conversations fall idle at once and are ended through the expiry index while another conversation
 * keeps chatting.
 *
 * <p>Fill: one message to each of N conversations through the real application (zero-latency model, one call per
 * turn, no tools), so every conversation is stored exactly as a one-turn conversation is: meta, one history turn,
 * its message id, its expiry entry. With a sample smaller than N, only the sample is filled so, and the rest are its
 * copies written into the stores' changelogs ({@link ChangelogFill}): a turn costs milliseconds of CPU here, so a
 * million of them would take over an hour. The fill runs with {@code HELPSTREAM_EXPIRY_SCAN_INTERVAL=1h}, so that
 * nothing expires while it runs. The instance is then closed and started again on the same state directory and topics with
 * the expiry scan every {@code scanAfter} seconds (and the same short {@code HELPSTREAM_IDLE_TIMEOUT}): by its first
 * scan every filled conversation is past its deadline, so all N are due at once, as after an instance was down for
 * longer than the idle timeout. Everything else is at the product defaults (expiry batch, apply interval
 * 10 ms, one stream thread).
 *
 * <p>Measured: {@code ConversationEnded} events (distinct, duplicates), from the first to the last {@code endedAt}
 * (the processor's clock when it ended each); the longest punctuation ({@link StreamsWatch}); the reply latency of
 * side conversations that chat (next message {@code sideThinkMs} after each reply) before, during and after the
 * expiry.
 */
final class P8Expiry {

    static final double GOAL_PUNCTUATION_MS = 50;
    static final String FILL_PREFIX = "fill-conv-";

    /**
     * @param process run the measured instance as a process of its own (the jar's {@code run}, offline model), its
     *                punctuation timer read from its {@code /metrics}: the benchmark's own work and garbage
     *                collection then stay out of the figures, as in a deployment
     */
    record Options(int conversations, int idleTimeoutSeconds, int scanAfterSeconds, int sideConversations,
                   int sideThinkMs, int fillInFlight, int expiryWaitSeconds, int expiryBatch, int partitions,
                   int maxInFlight, boolean process, int sample) {
        /** How many conversations the application fills itself; the rest are copies of them. */
        int filledByTurns() {
            return sample <= 0 ? conversations : Math.min(sample, conversations);
        }
    }

    /**
     * @param ended        distinct filled conversations ended
     * @param duplicates   ConversationEnded events beyond the first of a conversation
     * @param expirySeconds from the first to the last endedAt of a filled conversation
     */
    record Result(Options options, PhaseResult fill, double restartSeconds, int ended, int duplicates,
                  double expirySeconds, double maxPunctuationMs, double maxThreadPunctuationMs,
                  double endedCounter, Latencies sideBefore, Latencies sideDuring, Latencies sideAfter,
                  int failedThreads, int errorLogs) {
        boolean goalsMet() {
            return ended == options.conversations() && duplicates == 0 && maxPunctuationMs <= GOAL_PUNCTUATION_MS;
        }
    }

    private P8Expiry() {
    }

    static Result run(ThrowawayEnvironment env, Options options, Report report) throws Exception {
        report.heading("P8 expiry of " + options.conversations() + " conversations");
        report.line("fill: one message to each of %d conversations through the application, the other %d "
                        + "copies of them (zero-latency model, "
                        + "max in-flight %d, expiry scan 1 h); then a restart on the same state with "
                        + "HELPSTREAM_IDLE_TIMEOUT=%ds and HELPSTREAM_EXPIRY_SCAN_INTERVAL=%ds, expiry batch (unless "
                        + "given below) and apply interval at the defaults; %d side conversations chat throughout "
                        + "(next message %d ms after each reply); %d partitions, one stream thread, max in-flight %d",
                options.filledByTurns(), options.conversations() - options.filledByTurns(), options.fillInFlight(),
                options.idleTimeoutSeconds(),
                options.scanAfterSeconds(), options.sideConversations(), options.sideThinkMs(),
                options.partitions(), options.maxInFlight());
        HelpstreamUnderTest base = HelpstreamUnderTest.of(env, "p8", options.maxInFlight(), options.partitions())
                .with("HELPSTREAM_IDLE_TIMEOUT", options.idleTimeoutSeconds() + "s");
        PhaseResult fill;
        long fillStart = System.nanoTime();
        try (Application app = base.with("HELPSTREAM_MAX_IN_FLIGHT_TURNS", Integer.toString(options.fillInFlight()))
                .with("HELPSTREAM_EXPIRY_SCAN_INTERVAL", "1h").start(ScriptedChatModel.slow(Duration.ZERO));
             LoadDriver driver = new LoadDriver(env.bootstrapServers(), base.topics().customerMessages().name(),
                     base.topics().agentReplies().name(), MessageFormat.HELPSTREAM, env.tag() + "p8")) {
            List<LoadDriver.Message> messages = new ArrayList<>(options.filledByTurns());
            for (int c = 0; c < options.filledByTurns(); c++) {
                messages.add(new LoadDriver.Message(FILL_PREFIX + c, Customers.email(c % 1000)));
            }
            fill = driver.run(messages, 0, Duration.ofMinutes(20));
            report.line("- fill: %s (%.1f s with start-up)", fill, (System.nanoTime() - fillStart) / 1e9);
            if (!fill.complete()) {
                throw new IllegalStateException("the fill did not complete: " + fill);
            }
        }
        if (options.filledByTurns() < options.conversations()) {
            ChangelogFill.Copied copied = ChangelogFill.copy(env.bootstrapServers(),
                    base.config().streams().applicationId(), options.partitions(), FILL_PREFIX,
                    options.filledByTurns(), options.conversations());
            report.line("- copies: conversations %d to %d are the %d filled ones copied into the changelogs of "
                            + "their stores (ChangelogFill): %d records, %.1f MB of key + value, in %.1f s",
                    options.filledByTurns(), options.conversations() - 1, options.filledByTurns(), copied.records(),
                    copied.bytes() / 1e6, copied.seconds());
        }
        // Every filled conversation's deadline (its last activity + the idle timeout) passes before the first scan.
        Side side = new Side(options);
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        // Histogram buckets count over a sliding window (two minutes by default): over the whole run here.
        registry.config().meterFilter(new io.micrometer.core.instrument.config.MeterFilter() {
            @Override
            public io.micrometer.core.instrument.distribution.DistributionStatisticConfig configure(
                    io.micrometer.core.instrument.Meter.Id id,
                    io.micrometer.core.instrument.distribution.DistributionStatisticConfig config) {
                return io.micrometer.core.instrument.distribution.DistributionStatisticConfig.builder()
                        .expiry(Duration.ofHours(6)).bufferLength(1).build().merge(config);
            }
        });
        HelpstreamUnderTest measured = base.with("HELPSTREAM_EXPIRY_SCAN_INTERVAL", options.scanAfterSeconds() + "s");
        if (options.expiryBatch() > 0) {
            measured = measured.with("HELPSTREAM_EXPIRY_BATCH", String.valueOf(options.expiryBatch()));
            report.line("expiry batch of the measured instance: %d", options.expiryBatch());
        }
        if (options.process()) {
            return P8ExpiryProcess.measure(env, options, fill, measured, side, report);
        }
        try (LogWatch logs = LogWatch.attach();
             ChatGateway gateway = new ChatGateway(env.bootstrapServers(), measured.topics(), side)) {
            side.gateway = gateway;
            long restart = System.nanoTime();
            try (Application app = measured.start(ScriptedChatModel.slow(Duration.ZERO), registry);
                 StreamsWatch watch = new StreamsWatch(app, true, 100)) {
                double restartSeconds = (System.nanoTime() - restart) / 1e9;
                report.line("- restart to RUNNING: %.2f s", restartSeconds);
                side.awaitEnds(restart, 100, () -> { }, report);
                Latencies[] phases = side.latencies();
                Result result = new Result(options, fill, restartSeconds, side.ended(), side.duplicates(),
                        side.expirySeconds(), watch.maxTaskPunctuateMs(), watch.maxThreadPunctuateMs(),
                        registry.counter("helpstream.conversations.ended").count(), phases[0], phases[1], phases[2],
                        watch.failedThreads(), logs.errorCount());
                reportEnds(result, report);
                report.line("- longest punctuation (stream-task-metrics punctuate-latency-max, one punctuator call): "
                        + "%.1f ms, seen at %s; thread-level punctuate-latency-max (mean of the punctuators of one "
                        + "loop iteration): %.1f ms", result.maxPunctuationMs(),
                        java.time.Instant.ofEpochMilli(watch.maxTaskPunctuateAtMillis()),
                        result.maxThreadPunctuationMs());
                for (String kind : new String[]{"expiry", "apply"}) {
                    io.micrometer.core.instrument.Timer step = registry.find("helpstream.punctuation")
                            .tag("kind", kind).timer();
                    if (step != null) {
                        report.line("- %s punctuations (helpstream.punctuation{kind=%s}): %d, mean %.1f ms, longest "
                                        + "%.1f ms; longer than %s", kind, kind, step.count(),
                                step.mean(java.util.concurrent.TimeUnit.MILLISECONDS),
                                step.max(java.util.concurrent.TimeUnit.MILLISECONDS), longerThan(step));
                    }
                }
                report.line("- side conversations' reply latency: before the expiry %s; during %s; after %s",
                        result.sideBefore(), result.sideDuring(), result.sideAfter());
                report.line("- stream threads: %d failed, %d alive, instance %s; %d ERROR log lines %s",
                        result.failedThreads(), watch.aliveThreads(), app.state(), result.errorLogs(),
                        logs.errorsByLogger());
                logs.firstErrors().forEach(line -> report.line("  - error: %s", line));
                goals(result, side, report);
                return result;
            }
        }
    }

    /** How many conversations ended, and how fast. */
    static void reportEnds(Result result, Report report) {
        report.line("- ConversationEnded events: %d distinct filled conversations of %d, %d duplicates "
                        + "(helpstream.conversations.ended counter: %.0f, side conversations included)",
                result.ended(), result.options().conversations(), result.duplicates(), result.endedCounter());
        report.line("- expiry of all: %.2f s from the first to the last endedAt = %.0f conversations/s",
                result.expirySeconds(), result.ended() / result.expirySeconds());
    }

    /** The three goals of P8, reported for a finished run. */
    static void goals(Result result, Side side, Report report) {
        Options options = result.options();
        report.goal("ConversationEnded events = conversations", result.ended() == options.conversations()
                && result.duplicates() == 0, result.ended() + " of " + options.conversations() + ", "
                + result.duplicates() + " duplicates");
        report.goal("longest punctuation ≤ 50 ms", result.maxPunctuationMs() <= GOAL_PUNCTUATION_MS,
                String.format("%.1f ms", result.maxPunctuationMs()));
        double rateBefore = side.beforeRate();
        double rateDuring = result.sideDuring().count() / result.expirySeconds();
        report.line("- side replies per second: %.1f before the expiry, %.1f during it", rateBefore, rateDuring);
        // This benchmark's own criterion: the side conversations get at least half their replies per second during
        // the expiry that they got before it.
        report.goal("replies keep flowing during expiry (side replies/s during ≥ ½ of before)",
                rateDuring >= rateBefore / 2, String.format("%.1f/s during vs %.1f/s before; p50 %.0f ms during vs "
                        + "%.0f ms before", rateDuring, rateBefore, result.sideDuring().p50(),
                        result.sideBefore().p50()));
    }

    /** How many recordings passed each bucket of the timer, e.g. "10 ms: 12, 50 ms: 1". */
    private static String longerThan(io.micrometer.core.instrument.Timer timer) {
        StringBuilder text = new StringBuilder();
        long total = timer.count();
        for (io.micrometer.core.instrument.distribution.CountAtBucket bucket : timer.takeSnapshot()
                .histogramCounts()) {
            if (text.length() > 0) {
                text.append(", ");
            }
            text.append(String.format(java.util.Locale.ROOT, "%.0f ms: %d",
                    bucket.bucket(java.util.concurrent.TimeUnit.MILLISECONDS), total - (long) bucket.count()));
        }
        return text.toString();
    }

    /** The side conversations, the ConversationEnded events, and the clock of both. */
    static final class Side implements ChatGateway.Listener {
        private final Options options;
        volatile ChatGateway gateway;
        private final Map<String, Long> sentMillis = new HashMap<>();
        private final Map<String, Integer> nextOf = new HashMap<>();
        /** Per answered side message: sent (wall ms), received (wall ms). */
        private final List<long[]> answered = new ArrayList<>();
        /**
         * Filled conversations ended, by their number: a bit each rather than a million ids, so that what the harness
         * keeps does not lengthen the collector's pauses of the JVM it shares with the measured instance.
         */
        private final java.util.BitSet ended = new java.util.BitSet();
        private int endedCount;
        private int duplicates;
        private long firstEndedAt = Long.MAX_VALUE;
        private long lastEndedAt = Long.MIN_VALUE;
        private volatile boolean stopped;
        private final java.util.concurrent.ScheduledExecutorService timer =
                java.util.concurrent.Executors.newSingleThreadScheduledExecutor();

        Side(Options options) {
            this.options = options;
        }

        private long startedAt;

        void start() {
            synchronized (this) {
                startedAt = System.currentTimeMillis();
            }
            for (int i = 0; i < options.sideConversations(); i++) {
                send("side-" + i);
            }
        }

        void stop() {
            stopped = true;
            timer.shutdownNow();
        }

        /**
         * Chats from now on, every {@code pollMs} running {@code poll}, until every filled conversation ended or the
         * expiry wait (from {@code restart}, nanos) is over; reports the ends every 10 s, then stops chatting.
         */
        void awaitEnds(long restart, long pollMs, Runnable poll, Report report) {
            start();
            long deadline = restart + Duration.ofSeconds(options.expiryWaitSeconds()).toNanos();
            StringBuilder progress = new StringBuilder();
            long nextMark = restart + Duration.ofSeconds(10).toNanos();
            while (ended() < options.conversations() && System.nanoTime() < deadline) {
                StreamsRun.sleep(pollMs);
                poll.run();
                if (System.nanoTime() >= nextMark) {
                    progress.append(String.format(java.util.Locale.ROOT, " %ds:%d", Math.round(
                            (System.nanoTime() - restart) / 1e9), ended()));
                    nextMark += Duration.ofSeconds(10).toNanos();
                }
            }
            report.line("- conversations ended by seconds after the restart (committed events received):%s",
                    progress);
            StreamsRun.sleep(5_000);
            stop();
        }

        private synchronized void send(String conversation) {
            if (stopped) {
                return;
            }
            int k = nextOf.merge(conversation, 1, Integer::sum);
            String id = conversation + "-m" + k;
            sentMillis.put(id, System.currentTimeMillis());
            gateway.send(conversation, id, Customers.email(0));
            gateway.flush();
        }

        @Override
        public synchronized void reply(AgentReply reply, long receivedNanos) {
            if (!reply.getConversationId().startsWith("side-")) {
                return;
            }
            long now = System.currentTimeMillis();
            for (String id : Replies.answered(reply)) {
                Long sent = sentMillis.remove(id);
                if (sent != null) {
                    answered.add(new long[]{sent, now});
                }
            }
            if (!stopped) {
                String conversation = reply.getConversationId();
                timer.schedule(() -> send(conversation), options.sideThinkMs(),
                        java.util.concurrent.TimeUnit.MILLISECONDS);
            }
        }

        @Override
        public synchronized void ended(ConversationEnded event, long receivedNanos) {
            if (!event.getConversationId().startsWith(FILL_PREFIX)) {
                return;
            }
            int number = Integer.parseInt(event.getConversationId().substring(FILL_PREFIX.length()));
            if (ended.get(number)) {
                duplicates++;
            } else {
                ended.set(number);
                endedCount++;
            }
            long at = event.getEndedAt().toEpochMilli();
            firstEndedAt = Math.min(firstEndedAt, at);
            lastEndedAt = Math.max(lastEndedAt, at);
        }

        @Override
        public void deadLetter(String key, CustomerMessage message, String reason, long receivedNanos) {
        }

        /** Side replies per second from the side chat's start until the first conversation ended. */
        synchronized double beforeRate() {
            long before = answered.stream().filter(message -> message[0] < firstEndedAt).count();
            return before / ((Math.min(firstEndedAt, System.currentTimeMillis()) - startedAt) / 1e3);
        }

        synchronized int ended() {
            return endedCount;
        }

        synchronized int duplicates() {
            return duplicates;
        }

        synchronized double expirySeconds() {
            return endedCount == 0 ? Double.NaN : (lastEndedAt - firstEndedAt) / 1e3;
        }

        /** Side latencies by when the message was sent: before the first, up to the last, after the last endedAt. */
        synchronized Latencies[] latencies() {
            List<List<Double>> phases = List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
            for (long[] message : answered) {
                int phase = message[0] < firstEndedAt ? 0 : message[0] <= lastEndedAt ? 1 : 2;
                phases.get(phase).add((double) (message[1] - message[0]));
            }
            return phases.stream().map(Latencies::of)
                    .toArray(Latencies[]::new);
        }
    }
}
