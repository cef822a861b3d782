package io.helpstream.harness;

import io.helpstream.contract.Topics;
import io.helpstream.localstack.ThrowawayEnvironment;
import io.helpstream.localstack.postgres.DatabaseUrl;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.kafka.common.utils.Utils;

/**
 * One multi-instance chaos test: several {@code helpstream run} processes share the work of one deployment and a
 * scripted model served over HTTP, while messages are sent at a steady rate and the instances are killed, restarted,
 * scaled down and up again and frozen past their session timeout; then it waits for every reply and checks what
 * a {@code read_committed} consumer and the database show.
 *
 * <pre>{@code ChaosReport report = new ChaosRun(settings, System.out).run();}</pre>
 */
public final class ChaosRun {

    static final String APPLICATION_ID = "helpstream-chaos";
    static final String OWN_EXITS = "processor exits not caused by a disruption";
    static final String MODEL_CALLS = "model calls above 1.1 × an undisturbed run";
    private static final int PARTITIONS = 12;
    private static final double MAX_CALLS_RATIO = 1.1;

    private final ChaosSettings settings;
    private final PrintStream out;
    private final String runId = UUID.randomUUID().toString().substring(0, 8);
    private final Topics topics = Topics.defaults();

    public ChaosRun(ChaosSettings settings, PrintStream out) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.out = Objects.requireNonNull(out, "out");
    }

    public ChaosReport run() throws Exception {
        long begin = System.nanoTime();
        Workload workload = Workload.generate(runId, settings.messages(), settings.conversations(), settings.seed());
        int historyWindow = Math.min(1000, Math.max(10, workload.longestConversation()));
        Path workDir = Files.createDirectories(settings.workDir().resolve("chaos-" + runId));
        Verdict verdict = new Verdict();
        boolean passed = false;
        try (ThrowawayEnvironment env = ThrowawayEnvironment.start(new ThrowawayEnvironment.Settings("chaos",
                PARTITIONS, settings.databaseUrl().map(DatabaseUrl::parse), settings.redisUrl(), settings.keep()));
             ScriptedModel model = new ScriptedModel(settings.modelMin(), settings.modelMax())) {
            LogFigures logs = new LogFigures();
            out.printf("Chaos test %s: %d messages over %d conversations at %.1f msg/s, %d instances, %d disruptions, "
                    + "model %s to %s; Kafka at %s, database %s; logs in %s%n", runId, settings.messages(),
                    settings.conversations(), settings.rate(), settings.instances(), settings.disruptions(),
                    settings.modelMin(), settings.modelMax(), env.bootstrapServers(), env.database().url(), workDir);
            List<Disruption> disruptions;
            Duration drain;
            List<String> ownExits;
            try (Fleet fleet = new Fleet(settings.jar(), environment(env, model, historyWindow), workDir,
                    settings.instances(), logs);
                 MessageSender sender = new MessageSender(env.bootstrapServers(), topics.customerMessages().name())) {
                fleet.startAll();
                ExecutorService sending = Executors.newSingleThreadExecutor();
                long sendStart = System.nanoTime();
                Future<?> sent = sending.submit(() -> {
                    sender.sendAll(workload.messages(), settings.rate());
                    return null;
                });
                disruptions = new Disruptor(settings, fleet, out).run(sendStart);
                sent.get();
                sending.shutdown();
                long sendEnd = System.nanoTime();
                Answers.await(env.bootstrapServers(), topics, workload, settings.drainTimeout(),
                        () -> fleet.supervise(out), out);
                drain = Duration.ofNanos(System.nanoTime() - sendEnd);
                // Replies of a transaction still open would show up within a commit interval or two.
                Thread.sleep(2_000);
                ownExits = fleet.ownExits();
            }
            try (OutputReader reader = new OutputReader(env.bootstrapServers(), topics, APPLICATION_ID);
                 Connection db = env.database().connect()) {
                reader.readToEnd(Duration.ofSeconds(60));
                verdict.figure("messages sent", workload.messages().size());
                DeliveryCheck.check(workload, reader.replies(), verdict);
                ConsistencyCheck.check(workload, runId, db, reader.replies(), reader.ticketEvents(), verdict);
                StateCheck.check(workload, reader.states(), historyWindow, verdict);
            }
            long planned = workload.messages().stream().mapToLong(m -> SupportScript.plannedCalls(m.text())).sum();
            verdict.figure("conversations resumed by a task that started", logs.resumed());
            verdict.figure("task fences claimed", logs.claims());
            verdict.figure("turns ended by their fence (a write refused)", logs.refused());
            verdict.invariant(OWN_EXITS);
            ownExits.forEach(exit -> verdict.violation(OWN_EXITS, exit));
            verdict.invariant(MODEL_CALLS);
            if (model.calls() > MAX_CALLS_RATIO * planned) {
                verdict.violation(MODEL_CALLS, model.calls() + " calls for " + planned + " planned");
            }
            ChaosReport report = new ChaosReport(settings, runId, disruptions, new ChaosReport.ModelCalls(
                    model.calls(), planned, model.askedAgain()), Duration.ofNanos(System.nanoTime() - begin), drain,
                    verdict);
            passed = report.passed();
            return report;
        } finally {
            if (passed && !settings.keep()) {
                Utils.delete(workDir.toFile());
            }
        }
    }

    /** The deployment's configuration, as environment variables, shared by every instance. */
    private Map<String, String> environment(ThrowawayEnvironment env, ScriptedModel model, int historyWindow) {
        Map<String, String> vars = new HashMap<>(ProcessorEnvironment.of(env, APPLICATION_ID, PARTITIONS,
                historyWindow));
        vars.put("HELPSTREAM_MODEL", "openai");
        vars.put("OPENAI_API_KEY", "chaos");
        vars.put("OPENAI_BASE_URL", model.baseUrl());
        vars.put("OPENAI_MODEL", SupportScript.MODEL);
        // The model is not the bottleneck under test; the turn slots are.
        vars.put("OPENAI_MAX_CONCURRENT_CALLS", "64");
        vars.put("HELPSTREAM_SHUTDOWN_GRACE", "10s");
        // A stopping instance leaves the group, so that SIGTERM and scaling down move its tasks at once.
        vars.put("HELPSTREAM_LEAVE_GROUP_ON_SHUTDOWN", "true");
        // Several instances on one machine: the operations endpoint's default port would let only one of them start.
        vars.put("HELPSTREAM_HTTP_PORT", "0");
        return vars;
    }
}
