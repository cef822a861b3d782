package io.helpstream.bench;

import io.helpstream.localstack.ThrowawayEnvironment;
import io.helpstream.localstack.process.HelpstreamProcess;
import io.helpstream.localstack.process.ProcessSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * P3: a processor process holding many conversations is killed with SIGKILL and started again on the same state
 * directory; measured is the time from the kill until a new message is answered. Under exactly-once an unclean stop
 * leaves no checkpoint, so the store is rebuilt from its changelog before the task processes again.
 */
final class P3Recovery {

    static final Duration GOAL = Duration.ofSeconds(30);
    private static final int CUSTOMERS = 1000;

    record Options(int conversations, String processorJar, String logDir, int partitions, int maxInFlight) {
    }

    /**
     * @param fill             answering one message of every conversation before the kill
     * @param secondsToRunning from the kill until the new process reported RUNNING
     * @param secondsToReply   from the kill until the answer to a message sent right after the kill arrived
     * @param after            the message sent right after the kill, to a conversation in the store
     */
    record Result(int conversations, PhaseResult fill, double secondsToRunning, double secondsToReply,
                  PhaseResult after) {
        boolean goalMet() {
            return after.complete() && secondsToReply <= GOAL.toSeconds();
        }
    }

    private P3Recovery() {
    }

    static Result run(ThrowawayEnvironment env, Options options, Report report) throws Exception {
        report.heading("P3 recovery after kill -9");
        report.line("%d conversations in the store, processor as a child process (%s), %d partitions, max in-flight"
                        + " %d, built-in offline model", options.conversations(),
                options.processorJar() == null ? "this class path" : options.processorJar(), options.partitions(),
                options.maxInFlight());
        // A restart in place, as a supervisor does it: the same instance id (static membership).
        HelpstreamUnderTest helpstream = HelpstreamUnderTest.of(env, "p3h", options.maxInFlight(),
                options.partitions()).with("HELPSTREAM_INSTANCE_ID", "bench-p3-" + env.tag());
        Path logs = options.logDir() == null ? env.directory("p3-logs")
                : Files.createDirectories(Path.of(options.logDir()));
        try (HelpstreamProcess processor = new HelpstreamProcess(launch(options, helpstream,
                logs.resolve("p3-helpstream.log")))) {
            processor.start();
            if (!processor.awaitRunning(Duration.ofMinutes(3))) {
                throw new IllegalStateException("the processor did not start:\n" + processor.logTail());
            }
            // helpstream created its tables when it started; the customers it looks up go in before any message.
            Customers.seed(env.database(), CUSTOMERS);
            try (LoadDriver driver = new LoadDriver(env.bootstrapServers(),
                    helpstream.topics().customerMessages().name(), helpstream.topics().agentReplies().name(),
                    MessageFormat.HELPSTREAM, env.tag() + "p3h")) {
                PhaseResult fill = fill(driver, options, processor);
                long killedAt = System.nanoTime();
                processor.kill();
                processor.start();
                double[] toRunning = {Double.NaN};
                Thread watcher = new Thread(() -> {
                    try {
                        if (processor.awaitRunning(Duration.ofMinutes(5))) {
                            toRunning[0] = (System.nanoTime() - killedAt) / 1e9;
                        }
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }, "bench-p3-watch");
                watcher.start();
                // A conversation that is in the restored store: its answer needs the recovered state.
                double sentAfter = (System.nanoTime() - killedAt) / 1e9;
                PhaseResult after = driver.run(List.of(
                        new LoadDriver.Message("p3-conv-0", Customers.email(0))), 0, Duration.ofMinutes(5));
                watcher.join(Duration.ofMinutes(1).toMillis());
                if (!after.complete()) {
                    throw new IllegalStateException("no answer after the restart: " + after + "\n"
                            + processor.logTail());
                }
                double toReply = sentAfter + after.latencies().max() / 1000;
                Result result = new Result(options.conversations(), fill, toRunning[0], toReply, after);
                report.line("- fill: %s", fill);
                report.line("- from SIGKILL: new process RUNNING after %.2f s, first new reply after %.2f s "
                        + "(probe latencies %s)", result.secondsToRunning(), result.secondsToReply(),
                        after.latencies());
                report.goal("replies flow again ≤ 30 s after the kill", result.goalMet(),
                        String.format("%.2f s", result.secondsToReply()));
                return result;
            }
        }
    }

    /** helpstream's jar when one is given, else the application on this JVM's class path. */
    private static ProcessSettings launch(Options options, HelpstreamUnderTest helpstream, Path log) {
        ProcessSettings settings = options.processorJar() == null
                ? ProcessSettings.thisClassPath(helpstream.environment(), log)
                : ProcessSettings.jar(Path.of(options.processorJar()), helpstream.environment(), log);
        return settings.withJvmOptions("-Xmx1g");
    }

    /** One message to every conversation, so that the store holds them all at the kill. */
    private static PhaseResult fill(LoadDriver driver, Options options, HelpstreamProcess processor) {
        List<LoadDriver.Message> messages = Workloads.rounds("p3", options.conversations(), 1, CUSTOMERS);
        PhaseResult fill = driver.run(messages, 0, Duration.ofSeconds(120 + options.conversations() / 50));
        if (!fill.complete()) {
            throw new IllegalStateException("filling the store did not complete: " + fill + "\n"
                    + processor.logTail());
        }
        return fill;
    }
}
