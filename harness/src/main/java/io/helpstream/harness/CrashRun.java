package io.helpstream.harness;

import io.helpstream.contract.Topics;
import io.helpstream.localstack.ThrowawayEnvironment;
import io.helpstream.localstack.postgres.DatabaseUrl;
import io.helpstream.localstack.process.HelpstreamProcess;
import io.helpstream.localstack.process.ProcessSettings;
import io.helpstream.schema.AgentAction;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.apache.kafka.common.utils.Utils;

/**
 * One crash test: sends the workload at a steady rate while the processor, a separate process, is killed with
 * SIGKILL at random moments and restarted each time; then waits for every reply and checks the invariants.
 *
 * <pre>{@code CrashReport report = new CrashRun(settings, System.out).run();}</pre>
 */
public final class CrashRun {

    static final String APPLICATION_ID = "helpstream-crash";
    /** A processor that gives up by itself after a crash is restarted, but counted: recovery must not need it. */
    static final String OWN_EXITS = "processor exits not caused by a kill";
    private static final int PARTITIONS = 4;
    /** A process younger than this is left alone a little longer, so kills cannot follow each other instantly. */
    private static final Duration MIN_UPTIME = Duration.ofSeconds(1);
    private static final Duration START_TIMEOUT = Duration.ofMinutes(2);

    private final CrashSettings settings;
    private final PrintStream out;
    private final String runId = UUID.randomUUID().toString().substring(0, 8);
    private final List<String> ownExits = new ArrayList<>();
    /** The processor runs with the default topic names. */
    private final Topics topics = Topics.defaults();

    public CrashRun(CrashSettings settings, PrintStream out) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.out = Objects.requireNonNull(out, "out");
    }

    public CrashReport run() throws Exception {
        long begin = System.nanoTime();
        Workload workload = Workload.generate(runId, settings.messages(), settings.conversations(), settings.seed(),
                true);
        // Room for every message's turn and a human's follow-ups, so the summary counts the whole conversation.
        int historyWindow = Math.min(1000, Math.max(20, 2 * workload.longestConversation()));
        Path workDir = Files.createDirectories(settings.workDir().resolve("crash-" + runId));
        Verdict verdict = new Verdict();
        boolean passed = false;
        try (ThrowawayEnvironment env = ThrowawayEnvironment.start(new ThrowawayEnvironment.Settings("crash",
                PARTITIONS, settings.databaseUrl().map(DatabaseUrl::parse), settings.redisUrl(), settings.keep()))) {
            Map<String, String> processorEnv = processorEnvironment(env, workDir.resolve("state"), historyWindow);
            Path log = workDir.resolve("processor.log");
            out.printf("Crash test %s: %d messages over %d conversations at %.1f msg/s, %d kills; Kafka at %s, "
                            + "database %s; processor log %s%n", runId, settings.messages(), settings.conversations(),
                    settings.rate(), settings.kills(), env.bootstrapServers(), env.database().url(), log);

            List<Kill> kills;
            Duration drain;
            List<AgentAction> actions;
            ResumedTurns resumed = new ResumedTurns();
            try (HelpstreamProcess processor = new HelpstreamProcess(ProcessSettings.jar(settings.jar(), processorEnv,
                    log).withJvmOptions("-Xmx768m").withOnLine(resumed));
                 MessageSender sender = new MessageSender(env.bootstrapServers(), topics.customerMessages().name())) {
                // The processor creates its topics before it reports RUNNING; nothing is sent before that.
                processor.start();
                requireRunning(processor, "first start");
                Desk desk = new Desk(env.bootstrapServers(), topics, workload);
                try {
                    desk.start();
                    ExecutorService sending = Executors.newSingleThreadExecutor();
                    long sendStart = System.nanoTime();
                    Future<?> sent = sending.submit(() -> {
                        sender.sendAll(workload.messages(), settings.rate());
                        return null;
                    });
                    kills = killAtRandom(processor, sendStart);
                    sent.get();
                    sending.shutdown();
                    long sendEnd = System.nanoTime();
                    requireRunning(processor, "last restart");
                    Answers.await(env.bootstrapServers(), topics, workload, settings.drainTimeout(),
                            () -> supervise(processor), out);
                    drain = Duration.ofNanos(System.nanoTime() - sendEnd);
                    verdict.figure("conversations resumed mid-turn after restarts", resumed.conversations());
                    // Replies of a transaction still open would show up within a commit interval or two.
                    Thread.sleep(2_000);
                } finally {
                    desk.close();
                }
                actions = desk.sent();
            }
            try (OutputReader reader = new OutputReader(env.bootstrapServers(), topics, APPLICATION_ID);
                 Connection db = env.database().connect()) {
                reader.readToEnd(Duration.ofSeconds(60));
                verdict.figure("messages sent", workload.messages().size());
                DeliveryCheck.check(workload, reader.replies(), HandoffCheck.causes(actions, reader.handoffs()),
                        verdict);
                HandoffCheck.check(workload, actions, reader.handoffs(), reader.replies(), verdict);
                TicketCheck.check(workload, runId, db, reader.ticketEvents(), verdict);
                StateCheck.check(workload, reader.states(), historyWindow, verdict);
            }
            verdict.invariant(OWN_EXITS);
            ownExits.forEach(exit -> verdict.violation(OWN_EXITS, exit));
            verdict.invariant("kills not by SIGKILL");
            kills.stream().filter(kill -> !kill.bySigkill()).forEach(kill ->
                    verdict.violation("kills not by SIGKILL", "pid " + kill.pid() + " exited " + kill.exitValue()));
            CrashReport report = new CrashReport(settings, runId, kills, Duration.ofNanos(System.nanoTime() - begin),
                    drain, verdict);
            passed = report.passed();
            return report;
        } finally {
            if (passed && !settings.keep()) {
                Utils.delete(workDir.toFile());
            }
        }
    }

    /** The processor's whole configuration, as a deployment gives it: environment variables. */
    private Map<String, String> processorEnvironment(ThrowawayEnvironment env, Path stateDir, int historyWindow) {
        Map<String, String> vars = new HashMap<>(ProcessorEnvironment.of(env, APPLICATION_ID, PARTITIONS,
                historyWindow));
        // Kept across kills, like a restart on the same machine.
        vars.put("HELPSTREAM_STATE_DIR", stateDir.toString());
        // The deterministic model, whatever keys the caller's environment holds.
        vars.put("HELPSTREAM_MODEL", "offline");
        // No HTTP endpoint: the default port may be taken on the machine running the test.
        vars.put("HELPSTREAM_HTTP_PORT", "0");
        return vars;
    }

    /** Kills at moments drawn uniformly over the sending time, restarting right after each kill. */
    private List<Kill> killAtRandom(HelpstreamProcess processor, long sendStart) throws InterruptedException {
        Random random = new Random(settings.seed() * 31 + 7);
        long window = settings.sendingTime().toNanos();
        List<Long> moments = Stream.generate(() -> (long) (random.nextDouble() * window)).limit(settings.kills())
                .sorted().toList();
        List<Kill> kills = new ArrayList<>();
        for (long moment : moments) {
            sleepUntil(sendStart + moment);
            supervise(processor);
            Duration young = MIN_UPTIME.minus(processor.uptime());
            if (!young.isNegative()) {
                Thread.sleep(young.toMillis());
            }
            boolean wasRunning = processor.isRunning();
            Duration uptime = processor.uptime();
            long pid = processor.pid();
            int exit = processor.kill();
            Kill kill = new Kill(Duration.ofNanos(System.nanoTime() - sendStart), pid, uptime, wasRunning, exit);
            kills.add(kill);
            out.printf("kill %d/%d at %.1f s: pid %d (%s for %.1f s) exit %d%n", kills.size(), settings.kills(),
                    kill.at().toMillis() / 1000.0, pid, wasRunning ? "running" : "starting",
                    uptime.toMillis() / 1000.0, exit);
            processor.start();
        }
        return kills;
    }

    /** Waits for RUNNING, restarting a process that gives up on its own (at most three times). */
    private void requireRunning(HelpstreamProcess processor, String what) throws InterruptedException {
        for (int restarts = 0; !processor.awaitRunning(START_TIMEOUT); restarts++) {
            if (restarts == 3 || !supervise(processor)) {
                throw new IllegalStateException("the processor did not reach RUNNING after its " + what
                        + " within " + START_TIMEOUT + "; see its log");
            }
        }
    }

    /** Restarts the processor if it ended without being killed, and records that; true if it did. */
    private boolean supervise(HelpstreamProcess processor) {
        long pid = processor.pid();
        OptionalInt exit = processor.restartIfEnded();
        exit.ifPresent(value -> {
            ownExits.add("pid " + pid + " exited " + value);
            out.printf("the processor (pid %d) ended on its own with exit value %d; restarted it%n", pid, value);
        });
        return exit.isPresent();
    }

    private static void sleepUntil(long nanoTime) throws InterruptedException {
        long wait = nanoTime - System.nanoTime();
        if (wait > 0) {
            Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
        }
    }

}
