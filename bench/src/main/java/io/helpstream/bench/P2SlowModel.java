package io.helpstream.bench;

import io.helpstream.app.Application;
import io.helpstream.contract.Topics;
import io.helpstream.localstack.ThrowawayEnvironment;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * P2: a model that takes 400 ms per turn. helpstream answers many conversations at once (up to max in-flight) while
 * keeping each conversation in order; the limit is max in-flight ÷ model latency. The naive design calls the model
 * inside {@code process()}, one turn at a time per stream thread; it is measured on a sample of fixed length, since
 * the full load would take it over an hour.
 */
final class P2SlowModel {

    static final double GOAL_OF_LIMIT = 0.8;
    static final double GOAL_OVER_NAIVE = 50;

    record Options(int conversations, int messagesPerConversation, int latencyMs, int naiveSeconds, int partitions,
                   int maxInFlight) {
        int turns() {
            return conversations * messagesPerConversation;
        }

        /** Turns per second at best: every slot busy with the model all the time. */
        double limit() {
            return maxInFlight * 1000.0 / latencyMs;
        }
    }

    /**
     * @param naiveTurns turns the naive processor finished in its sample (committed or not)
     */
    record Result(Options options, PhaseResult helpstream, PhaseResult naive, int naiveTurns) {
        double ratioToLimit() {
            return helpstream.throughput() / options.limit();
        }

        double naiveThroughput() {
            return naiveTurns / (double) options.naiveSeconds();
        }

        double ratioToNaive() {
            return helpstream.throughput() / naiveThroughput();
        }

        boolean goalsMet() {
            return ratioToLimit() >= GOAL_OF_LIMIT && ratioToNaive() >= GOAL_OVER_NAIVE
                    && helpstream.orderViolations() == 0;
        }
    }

    private P2SlowModel() {
    }

    static Result run(ThrowawayEnvironment env, Options options, Report report) throws Exception {
        report.heading("P2 slow model: " + options.latencyMs() + " ms per turn");
        report.line("%d conversations × %d messages = %d turns, %d partitions, one stream thread, max in-flight %d; "
                        + "naive design sampled for %d s",
                options.conversations(), options.messagesPerConversation(), options.turns(), options.partitions(),
                options.maxInFlight(), options.naiveSeconds());
        ScriptedChatModel model = ScriptedChatModel.slow(Duration.ofMillis(options.latencyMs()));
        PhaseResult helpstream = helpstream(env, options, model);
        int[] naiveTurns = new int[1];
        PhaseResult naive = naive(env, options, naiveTurns);
        Result result = new Result(options, helpstream, naive, naiveTurns[0]);
        report.line("- helpstream: %s", helpstream);
        report.line("- limit (max in-flight ÷ latency) = %d ÷ %.3f s = %.1f turns/s; helpstream reaches %.3f of it",
                options.maxInFlight(), options.latencyMs() / 1000.0, options.limit(), result.ratioToLimit());
        report.line("- naive (model in process()), %d s sample: %d turns done = %.2f turns/s; %d replies committed "
                        + "and received in the sample (%s)", options.naiveSeconds(), naiveTurns[0],
                result.naiveThroughput(), naive.received(), naive.latencies());
        report.line("- helpstream / naive = %.1f×", result.ratioToNaive());
        report.goal("≥ 0.8 of the limit", result.ratioToLimit() >= GOAL_OF_LIMIT,
                String.format("%.3f", result.ratioToLimit()));
        report.goal("≥ 50× the naive processor", result.ratioToNaive() >= GOAL_OVER_NAIVE,
                String.format("%.1f×", result.ratioToNaive()));
        report.goal("zero order violations", helpstream.orderViolations() == 0,
                helpstream.orderViolations() + " violations, " + helpstream.duplicates() + " duplicates");
        return result;
    }

    private static PhaseResult helpstream(ThrowawayEnvironment env, Options options, ScriptedChatModel model)
            throws Exception {
        HelpstreamUnderTest helpstream = HelpstreamUnderTest.of(env, "p2h", options.maxInFlight(),
                options.partitions());
        try (Application app = helpstream.start(model);
             LoadDriver driver = new LoadDriver(env.bootstrapServers(), helpstream.topics().customerMessages().name(),
                     helpstream.topics().agentReplies().name(), MessageFormat.HELPSTREAM, env.tag() + "p2h")) {
            driver.run(Workloads.rounds("w", options.maxInFlight(), 1, options.conversations()), 0,
                    Duration.ofMinutes(2));
            double expectedSeconds = options.turns() / options.limit();
            return driver.run(Workloads.rounds("m", options.conversations(), options.messagesPerConversation(),
                    options.conversations()), 0,
                    Duration.ofSeconds((long) (expectedSeconds * 3) + 60));
        }
    }

    private static PhaseResult naive(ThrowawayEnvironment env, Options options, int[] turnsDone) throws Exception {
        String input = "p2n.in";
        String output = "p2n.out";
        env.createTopics(options.partitions(), input, output);
        Topics topics = Topics.named(input, output, "p2n.unused-1", "p2n.unused-2", "p2n.dead-letters");
        AtomicBoolean stopped = new AtomicBoolean();
        ScriptedChatModel model = ScriptedChatModel.slow(Duration.ofMillis(options.latencyMs()));
        // More than the sample can take even if every partition had a thread of its own.
        int backlog = Math.min(options.turns(),
                (int) (options.naiveSeconds() * 1000L / options.latencyMs()) * options.partitions() * 2 + 10);
        try (StreamsRun ignored = StreamsRun.start(ComparisonTopologies.naiveAgent(input, output, model,
                        stopped), StreamsRun.properties(env.bootstrapServers(), "bench-p2n-" + env.tag(),
                        env.directory("p2n-state"), options.partitions(), topics));
             LoadDriver driver = new LoadDriver(env.bootstrapServers(), input, output, MessageFormat.HELPSTREAM,
                     env.tag() + "p2n")) {
            List<LoadDriver.Message> all = Workloads.rounds("m", options.conversations(),
                    options.messagesPerConversation(), options.conversations());
            PhaseResult sample = driver.run(all.subList(0, backlog), 0, Duration.ofSeconds(options.naiveSeconds()));
            turnsDone[0] = model.calls();
            stopped.set(true);
            return sample;
        }
    }
}
