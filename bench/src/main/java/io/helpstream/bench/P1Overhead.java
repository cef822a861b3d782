package io.helpstream.bench;

import io.helpstream.app.Application;
import io.helpstream.contract.Topics;
import io.helpstream.localstack.ThrowawayEnvironment;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;
import org.apache.kafka.streams.Topology;

/**
 * P1: what helpstream costs per turn with a model that costs nothing. The real application (LangChain4j agent, one
 * cached {@code lookupCustomer} call per turn) against (a) an exactly-once pass-through and (b) an exactly-once
 * processor with one store read and write per record, on the same broker in the same run. Each design gets a
 * warm-up, a throughput phase (a backlog sent as fast as possible) and a latency phase (a fixed, moderate rate).
 */
final class P1Overhead {

    /** Goal: helpstream's turns/s at least this share of design (b)'s records/s. */
    static final double GOAL = 0.4;

    /**
     * @param rawRecords records in the throughput phase of designs (a) and (b): many more than helpstream's, so
     *                   that their phase lasts long enough to measure
     */
    record Options(int records, int rawRecords, int conversations, int customers, int warmup, double latencyRate,
                   int latencySeconds, int partitions, int maxInFlight) {
    }

    /** @param cpu where this JVM's CPU went during the throughput phase, per record */
    record Design(String name, PhaseResult throughput, PhaseResult latency, String cpu) {
    }

    record Result(Design passThrough, Design store, Design helpstream) {
        double ratioToStore() {
            return helpstream.throughput().throughput() / store.throughput().throughput();
        }

        double ratioToPassThrough() {
            return helpstream.throughput().throughput() / passThrough.throughput().throughput();
        }

        boolean goalMet() {
            return ratioToStore() >= GOAL;
        }
    }

    private P1Overhead() {
    }

    static Result run(ThrowawayEnvironment env, Options options, Report report) throws Exception {
        report.heading("P1 overhead: zero-latency model, one cached tool call per turn");
        report.line("throughput phase: %d records for helpstream, %d for (a) and (b) (%d conversations, %d customers);"
                        + " warm-up %d; latency phase %.0f/s for %d s; %d partitions, one stream thread, "
                        + "exactly_once_v2, max in-flight %d",
                options.records(), options.rawRecords(), options.conversations(), options.customers(), options.warmup(),
                options.latencyRate(), options.latencySeconds(), options.partitions(), options.maxInFlight());
        Design a = raw(env, options, "p1a", "(a) pass-through", ComparisonTopologies::passThrough);
        Design b = raw(env, options, "p1b", "(b) store read+write", ComparisonTopologies::storeReadWrite);
        Design h = helpstream(env, options);
        Result result = new Result(a, b, h);
        for (Design design : List.of(a, b, h)) {
            report.line("- %s: throughput %.0f/s (%d in %.2f s, %d output records = %.0f/s); latency at %.0f/s: %s",
                    design.name(), design.throughput().throughput(), design.throughput().received(),
                    design.throughput().seconds(), design.throughput().replies(),
                    design.throughput().repliesPerSecond(), options.latencyRate(), design.latency().latencies());
            report.line("  - throughput phase: %s", design.cpu());
        }
        report.line("- helpstream / (b) = %.3f, helpstream / (a) = %.3f (messages answered per second; counting "
                        + "turns, i.e. replies, helpstream / (b) = %.3f)", result.ratioToStore(),
                result.ratioToPassThrough(), h.throughput().repliesPerSecond() / b.throughput().throughput());
        report.goal("helpstream ≥ 0.4 × (b)", result.goalMet(), String.format("%.3f", result.ratioToStore()));
        return result;
    }

    private interface TopologyFactory {
        Topology build(String input, String output);
    }

    private static Design raw(ThrowawayEnvironment env, Options options, String name, String label,
                              TopologyFactory factory) throws Exception {
        String input = name + ".in";
        String output = name + ".out";
        env.createTopics(options.partitions(), input, output);
        Topics topics = Topics.named(input, output, name + ".unused-1", name + ".unused-2", name + ".dead-letters");
        try (StreamsRun ignored = StreamsRun.start(factory.build(input, output), StreamsRun.properties(
                env.bootstrapServers(), "bench-" + name + "-" + env.tag(), env.directory(name + "-state"),
                options.partitions(), topics));
             LoadDriver driver = new LoadDriver(env.bootstrapServers(), input, output, MessageFormat.RAW,
                     env.tag() + name)) {
            return measure(label, driver, options, options.rawRecords());
        }
    }

    private static Design helpstream(ThrowawayEnvironment env, Options options) throws Exception {
        HelpstreamUnderTest helpstream = HelpstreamUnderTest.of(env, "p1h", options.maxInFlight(),
                options.partitions());
        try (Application app = helpstream.start(ScriptedChatModel.withLookup());
             LoadDriver driver = new LoadDriver(env.bootstrapServers(), helpstream.topics().customerMessages().name(),
                     helpstream.topics().agentReplies().name(), MessageFormat.HELPSTREAM, env.tag() + "p1h")) {
            // helpstream created its tables when it started; the customers it looks up go in before any message.
            Customers.seed(env.database(), options.customers());
            return measure("helpstream", driver, options, options.records());
        }
    }

    private static Design measure(String label, LoadDriver driver, Options options, int records) {
        int warmupRounds = warmUp(label, driver, options);
        CpuByThread before = CpuByThread.snapshot();
        PhaseResult throughput = driver.run(messages("t", records, options), 0,
                Duration.ofSeconds(Math.max(120, records / 100)));
        String cpu = CpuByThread.snapshot().perUnitSince(before, throughput.received());
        check(label + " throughput phase", throughput);
        int latencyCount = (int) Math.round(options.latencyRate() * options.latencySeconds());
        PhaseResult latency = driver.run(messages("l", latencyCount, options), options.latencyRate(),
                Duration.ofSeconds(options.latencySeconds() + 120L));
        check(label + " latency phase", latency);
        return new Design(label, throughput, latency, cpu + "; after " + warmupRounds + " warm-up round(s) of "
                + options.warmup());
    }

    /**
     * Warm-up rounds until the JIT has compiled the hot paths: the JVM's compilers spend under a tenth of a round's
     * time compiling (or ten rounds passed). A design measured while C2 still compiles its deep call chains (a turn
     * through LangChain4j, Jackson, Avro and Kafka) is measured half interpreted, on cores the compilers take.
     */
    private static int warmUp(String label, LoadDriver driver, Options options) {
        java.lang.management.CompilationMXBean jit = java.lang.management.ManagementFactory.getCompilationMXBean();
        for (int round = 1; round <= MAX_WARMUP_ROUNDS; round++) {
            long compiledBefore = jit.getTotalCompilationTime();
            long started = System.nanoTime();
            PhaseResult warmup = driver.run(messages("w" + round, options.warmup(), options), 0,
                    Duration.ofMinutes(5));
            check(label + " warm-up", warmup);
            double share = (jit.getTotalCompilationTime() - compiledBefore) / ((System.nanoTime() - started) / 1e6);
            if (share < WARM_JIT_SHARE) {
                return round;
            }
        }
        return MAX_WARMUP_ROUNDS;
    }

    static final int MAX_WARMUP_ROUNDS = 10;
    static final double WARM_JIT_SHARE = 0.1;

    private static void check(String what, PhaseResult result) {
        if (!result.complete() || result.duplicates() > 0) {
            throw new IllegalStateException(what + " did not complete: " + result);
        }
    }

    /** Message i goes to conversation i mod conversations, whose customer is conversation mod customers. */
    static List<LoadDriver.Message> messages(String prefix, int count, Options options) {
        IntFunction<LoadDriver.Message> message = i -> {
            int conversation = i % options.conversations();
            return new LoadDriver.Message(prefix + "-conv-" + conversation,
                    Customers.email(conversation % options.customers()));
        };
        List<LoadDriver.Message> all = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            all.add(message.apply(i));
        }
        return all;
    }
}
