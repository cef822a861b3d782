package io.helpstream.bench;

import io.helpstream.app.Application;
import io.helpstream.localstack.ThrowawayEnvironment;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.streams.KafkaStreams;

/**
 * P2 with several instances: the same slow-model load answered by 1, 2, 3 ... instances of one deployment (same
 * application id, a state directory each) sharing the partitions. Each instance brings its own turn slots, so the
 * limit is instances × max in-flight ÷ model latency; the figure is how close each size comes to its limit. The
 * instances run in the benchmark's JVM, each a full application with its own Kafka Streams client, consumer group
 * member, producer and database pool.
 */
final class P2Scaling {

    static final double GOAL_OF_LIMIT = 0.8;

    record Options(List<Integer> instances, int conversations, int messagesPerConversation, int latencyMs,
                   int partitions, int maxInFlight) {
        Options {
            instances = List.copyOf(instances);
            if (instances.isEmpty() || instances.stream().anyMatch(n -> n < 1 || n > partitions)) {
                throw new IllegalArgumentException("instances must be between 1 and the partitions (" + partitions
                        + "), got " + instances);
            }
        }

        int turns() {
            return conversations * messagesPerConversation;
        }

        /** Turns per second at best with {@code n} instances: every slot of every instance busy all the time. */
        double limit(int n) {
            return n * maxInFlight * 1000.0 / latencyMs;
        }
    }

    /**
     * One size: its instances, how the tasks were spread over them, and what they answered. A turn answers every
     * message of its conversation that waited, so messages per second can pass the limit; the limit is one of turns,
     * and so is the ratio.
     */
    record Size(int instances, int streamThreads, List<Integer> tasksPerInstance, PhaseResult result, double limit,
                double meanTurnMillis) {
        double ratioToLimit() {
            return result.repliesPerSecond() / limit;
        }

        Size withTurnMillis(double millis) {
            return new Size(instances, streamThreads, tasksPerInstance, result, limit, millis);
        }
    }

    record Result(Options options, List<Size> sizes) {
        boolean goalsMet() {
            return sizes.stream().allMatch(size -> size.ratioToLimit() >= GOAL_OF_LIMIT
                    && size.result().complete() && size.result().orderViolations() == 0
                    && size.result().duplicates() == 0);
        }
    }

    private P2Scaling() {
    }

    static Result run(ThrowawayEnvironment env, Options options, Report report) throws Exception {
        report.heading("P2 with several instances: " + options.latencyMs() + " ms per turn");
        report.line("%d conversations × %d messages = %d messages, %d partitions, max in-flight %d per instance; "
                        + "instances: %s", options.conversations(), options.messagesPerConversation(),
                options.turns(), options.partitions(), options.maxInFlight(), options.instances());
        List<Size> sizes = new ArrayList<>();
        for (int n : options.instances()) {
            Size size = size(env, options, n);
            sizes.add(size);
            report.line("- %d instance(s) of %d stream thread(s), tasks %s: %s; %.0f turns/s of a limit of %.0f "
                            + "turns/s = %.3f of it; a turn took %.0f ms on average (warm-up included)", n,
                    size.streamThreads(), size.tasksPerInstance(), size.result(), size.result().repliesPerSecond(),
                    size.limit(), size.ratioToLimit(), size.meanTurnMillis());
        }
        Result result = new Result(options, sizes);
        Size first = sizes.get(0);
        for (Size size : sizes.subList(1, sizes.size())) {
            report.line("- %d instances ÷ %d: %.2f× the messages answered per second, %.2f× the turns",
                    size.instances(), first.instances(), size.result().throughput() / first.result().throughput(),
                    size.result().repliesPerSecond() / first.result().repliesPerSecond());
        }
        report.goal("every size ≥ 0.8 of its limit in turns, complete, in order, no duplicates", result.goalsMet(),
                sizes.stream().map(size -> String.format("%d: %.3f", size.instances(), size.ratioToLimit()))
                        .collect(Collectors.joining(", ")));
        return result;
    }

    private static Size size(ThrowawayEnvironment env, Options options, int n) throws Exception {
        HelpstreamUnderTest deployment = HelpstreamUnderTest.of(env, "p2s" + n, options.maxInFlight(),
                options.partitions());
        ScriptedChatModel model = ScriptedChatModel.slow(Duration.ofMillis(options.latencyMs()));
        List<Application> instances = new ArrayList<>();
        try {
            // The first instance creates the topics the load driver reads.
            for (int i = 0; i < n; i++) {
                instances.add(deployment.with("HELPSTREAM_STATE_DIR",
                        env.directory("p2s" + n + "-state-" + i).toString()).start(model));
            }
            List<Integer> tasks = awaitSpread(instances, options.partitions(), Duration.ofMinutes(2));
            Size size = measure(env, options, n, deployment, tasks);
            return size.withTurnMillis(meanTurnMillis(instances));
        } finally {
            for (Application instance : instances) {
                instance.close();
            }
        }
    }

    private static Size measure(ThrowawayEnvironment env, Options options, int n, HelpstreamUnderTest deployment,
                                List<Integer> tasks) throws Exception {
        try (LoadDriver driver = new LoadDriver(env.bootstrapServers(),
                deployment.topics().customerMessages().name(), deployment.topics().agentReplies().name(),
                MessageFormat.HELPSTREAM, env.tag() + "p2s" + n)) {
            driver.run(Workloads.rounds("w", options.maxInFlight() * n, 1, options.conversations()), 0,
                    Duration.ofMinutes(2));
            double expectedSeconds = options.turns() / options.limit(n);
            PhaseResult result = driver.run(Workloads.rounds("m", options.conversations(),
                    options.messagesPerConversation(), options.conversations()), 0,
                    Duration.ofSeconds((long) (expectedSeconds * 3) + 60));
            return new Size(n, deployment.config().streams().streamThreads(), tasks, result, options.limit(n), 0);
        }
    }

    /** The mean time of a turn on its thread, model and tools (helpstream.turn.duration), over every instance. */
    private static double meanTurnMillis(List<Application> instances) {
        long count = 0;
        double total = 0;
        for (Application app : instances) {
            Timer timer = app.registry().find("helpstream.turn.duration").timer();
            if (timer != null) {
                count += timer.count();
                total += timer.totalTime(TimeUnit.MILLISECONDS);
            }
        }
        return count == 0 ? 0 : total / count;
    }

    /**
     * Waits until every instance runs and the partitions' tasks are spread over all of them (each holds at least
     * one, together all), as the rebalances after the last start settle; the spread it settled on.
     */
    private static List<Integer> awaitSpread(List<Application> instances, int partitions, Duration timeout)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<Integer> tasks = List.of();
        while (System.nanoTime() < deadline) {
            tasks = instances.stream().map(P2Scaling::activeTasks).toList();
            boolean running = instances.stream().allMatch(app -> app.state() == KafkaStreams.State.RUNNING);
            if (running && tasks.stream().allMatch(count -> count > 0)
                    && tasks.stream().mapToInt(Integer::intValue).sum() == partitions) {
                return tasks;
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("the tasks did not spread over " + instances.size() + " instances within "
                + timeout + ": " + tasks);
    }

    private static int activeTasks(Application app) {
        return app.streams().metadataForLocalThreads().stream().mapToInt(thread -> thread.activeTasks().size()).sum();
    }
}
