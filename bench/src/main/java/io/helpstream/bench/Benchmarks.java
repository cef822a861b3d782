package io.helpstream.bench;

import io.helpstream.localstack.ThrowawayEnvironment;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine;

/**
 * {@code java -jar bench/target/helpstream-bench.jar <p1|p2|p2-scale|p3|p4|p5|p7|p8|all> [options]}: the benchmarks of
 * BENCHMARKS.md. Each starts its own broker, database and Redis key prefix and removes them afterwards; figures go
 * to stdout, logs to stderr. Sizes default to the issue's; smaller ones make quick runs.
 */
@Command(name = "helpstream-bench", mixinStandardHelpOptions = true,
        description = "Benchmarks of helpstream against naive Kafka Streams designs.",
        subcommands = {Benchmarks.P1.class, Benchmarks.P2.class, Benchmarks.P2Scale.class, Benchmarks.P3.class,
                Benchmarks.P4.class,
                Benchmarks.P5.class, Benchmarks.P7.class, Benchmarks.P8.class, Benchmarks.All.class})
public final class Benchmarks implements Runnable {

    public static void main(String[] args) {
        System.exit(new CommandLine(new Benchmarks()).execute(args));
    }

    @Override
    public void run() {
        CommandLine.usage(this, System.out);
    }

    /** Where a run of the benchmarks happens: the database on the server the application would find. */
    static ThrowawayEnvironment.Settings environment(int partitions, String redisUrl, boolean brokerProcess) {
        return new ThrowawayEnvironment.Settings("bench", partitions, Optional.empty(), Optional.of(redisUrl), false)
                .withBrokerInOwnProcess(brokerProcess);
    }

    /** Options every benchmark shares. */
    static final class Common {
        @Option(names = "--partitions", defaultValue = "4",
                description = "Partitions per topic (default ${DEFAULT-VALUE}).")
        int partitions;

        @Option(names = "--max-in-flight", defaultValue = "64",
                description = "HELPSTREAM_MAX_IN_FLIGHT_TURNS (default ${DEFAULT-VALUE}, the product's default).")
        int maxInFlight;

        @Option(names = "--redis-url", defaultValue = "redis://127.0.0.1:6379",
                description = "Redis (default ${DEFAULT-VALUE}).")
        String redisUrl;

        @Option(names = "--broker-process", description = "Run the Kafka broker in a JVM of its own instead of "
                + "the benchmark's, so that helpstream's figures do not include the broker's garbage collection "
                + "(as in a deployment).")
        boolean brokerProcess;

        @Option(names = "--env", description = "An environment variable for every helpstream the benchmark starts, "
                + "e.g. --env HELPSTREAM_COMPRESSION=none (repeatable).")
        java.util.Map<String, String> env = new java.util.LinkedHashMap<>();
    }

    static final class P1Options {
        @Option(names = "--p1-records", defaultValue = "20000",
                description = "helpstream's turns in the throughput phase.")
        int records;
        @Option(names = "--p1-raw-records", defaultValue = "200000",
                description = "Records in the throughput phase of (a) and (b).")
        int rawRecords;
        @Option(names = "--p1-conversations", defaultValue = "5000", description = "Conversations they belong to.")
        int conversations;
        @Option(names = "--p1-customers", defaultValue = "1000",
                description = "Customers the conversations belong to.")
        int customers;
        @Option(names = "--p1-warmup", defaultValue = "10000",
                description = "Records per warm-up round; rounds go on until the JIT compiles for under a tenth of a "
                        + "round's time (at most 10).")
        int warmup;
        @Option(names = "--p1-latency-rate", defaultValue = "200", description = "Records/s of the latency phase.")
        double latencyRate;
        @Option(names = "--p1-latency-seconds", defaultValue = "20", description = "Length of the latency phase.")
        int latencySeconds;

        P1Overhead.Options with(Common common) {
            return new P1Overhead.Options(records, rawRecords, conversations, customers, warmup, latencyRate,
                    latencySeconds, common.partitions, common.maxInFlight);
        }
    }

    static final class P2Options {
        @Option(names = "--p2-conversations", defaultValue = "2000", description = "Conversations.")
        int conversations;
        @Option(names = "--p2-messages", defaultValue = "5", description = "Messages per conversation.")
        int messages;
        @Option(names = "--p2-latency-ms", defaultValue = "400", description = "Simulated model time per turn.")
        int latencyMs;
        @Option(names = "--p2-naive-seconds", defaultValue = "60", description = "Sample of the naive design.")
        int naiveSeconds;

        P2SlowModel.Options with(Common common) {
            return new P2SlowModel.Options(conversations, messages, latencyMs, naiveSeconds, common.partitions,
                    common.maxInFlight);
        }
    }

    static final class P3Options {
        @Option(names = "--p3-conversations", defaultValue = "100000",
                description = "Conversations in the store at the kill.")
        int conversations;
        @Option(names = "--p3-processor-jar", description = "Run this jar (e.g. app/target/helpstream.jar); "
                + "default: this JVM's class path.")
        String processorJar;
        @Option(names = "--p3-log-dir", description = "Keep the processes' logs here (default: deleted at the end).")
        String logDir;

        P3Recovery.Options with(Common common) {
            return new P3Recovery.Options(conversations, processorJar, logDir, common.partitions,
                    common.maxInFlight);
        }
    }

    static final class P4Options {
        @Option(names = "--p4-conversations", defaultValue = "20",
                description = "Conversations of the changelog measurement (default ${DEFAULT-VALUE}).")
        int conversations;
        @Option(names = "--p4-turns", defaultValue = "60",
                description = "Messages per conversation, each sent once the previous one was answered "
                        + "(default ${DEFAULT-VALUE}).")
        int turns;
        @Option(names = "--p4-dedup-retention", defaultValue = "1h,7d", split = ",",
                description = "HELPSTREAM_DEDUP_RETENTION values; the changelog measurement runs once for each "
                        + "(default ${DEFAULT-VALUE}).")
        java.util.List<String> retentions;
        @Option(names = "--p4-heap-conversations", defaultValue = "100000",
                description = "Conversations of the heap measurement.")
        int heapConversations;

        P4Memory.Options with(Common common) {
            return new P4Memory.Options(conversations, turns, retentions, heapConversations, common.partitions,
                    common.maxInFlight);
        }
    }

    static final class P5Options {
        @Option(names = "--p5-turns", defaultValue = "5000", description = "Turns, one look-up each.")
        int turns;
        @Option(names = "--p5-customers", defaultValue = "50", description = "Distinct customers looked up.")
        int customers;

        P5Cache.Options with(Common common) {
            return new P5Cache.Options(turns, customers, common.partitions, common.maxInFlight);
        }
    }

    static final class P7Options {
        @Option(names = "--p7-others", defaultValue = "1000",
                description = "Conversations chatting beside the hot one.")
        int others;
        @Option(names = "--p7-messages", defaultValue = "5",
                description = "Messages per other conversation, each sent when the previous is answered.")
        int messages;
        @Option(names = "--p7-hot-messages", defaultValue = "10000",
                description = "Messages sent at once to the hot conversation.")
        int hotMessages;
        @Option(names = "--p7-min-latency-ms", defaultValue = "50", description = "Shortest model call.")
        int minLatencyMs;
        @Option(names = "--p7-max-latency-ms", defaultValue = "100", description = "Longest model call.")
        int maxLatencyMs;

        P7HotConversation.Options with(Common common) {
            return new P7HotConversation.Options(others, messages, hotMessages, minLatencyMs, maxLatencyMs,
                    common.partitions, common.maxInFlight);
        }
    }

    static final class P8Options {
        @Option(names = "--p8-conversations", defaultValue = "1000000",
                description = "Stored conversations that fall idle at once.")
        int conversations;
        @Option(names = "--p8-idle-timeout-s", defaultValue = "5", description = "HELPSTREAM_IDLE_TIMEOUT, seconds.")
        int idleTimeoutSeconds;
        @Option(names = "--p8-scan-after-s", defaultValue = "20",
                description = "HELPSTREAM_EXPIRY_SCAN_INTERVAL of the measured instance, seconds: the side chat's "
                        + "time before the first scan.")
        int scanAfterSeconds;
        @Option(names = "--p8-side-conversations", defaultValue = "4", description = "Conversations chatting.")
        int sideConversations;
        @Option(names = "--p8-side-think-ms", defaultValue = "20",
                description = "Pause of a side conversation between a reply and its next message.")
        int sideThinkMs;
        @Option(names = "--p8-fill-in-flight", defaultValue = "256",
                description = "HELPSTREAM_MAX_IN_FLIGHT_TURNS while filling.")
        int fillInFlight;
        @Option(names = "--p8-expiry-wait-s", defaultValue = "420",
                description = "Longest wait for every conversation to end, from the restart; the figures so far are "
                        + "reported either way.")
        int expiryWaitSeconds;
        @Option(names = "--p8-expiry-batch", defaultValue = "0",
                description = "HELPSTREAM_EXPIRY_BATCH of the measured instance; 0: the product default.")
        int expiryBatch;
        @Option(names = "--p8-process", description = "Run the measured instance as a process of its own (offline "
                + "model) and read its punctuation timer from its /metrics, so that the benchmark's own work and "
                + "garbage collection stay out of the figures.")
        boolean process;
        @Option(names = "--p8-fill-sample", defaultValue = "10000",
                description = "Conversations filled through the application; the others are copies of them written "
                        + "into the stores' changelogs. 0: fill every conversation through the application.")
        int sample;

        P8Expiry.Options with(Common common) {
            return new P8Expiry.Options(conversations, idleTimeoutSeconds, scanAfterSeconds, sideConversations,
                    sideThinkMs, fillInFlight, expiryWaitSeconds, expiryBatch, common.partitions,
                    common.maxInFlight, process, sample);
        }
    }

    /** Runs one benchmark in a fresh environment. */
    abstract static class Single implements Callable<Integer> {
        @Mixin
        Common common = new Common();

        @Override
        public Integer call() throws Exception {
            Report report = new Report(System.out);
            HelpstreamUnderTest.setCommonEnvironment(common.env);
            if (!common.env.isEmpty()) {
                report.line("helpstream environment: %s", common.env);
            }
            try (ThrowawayEnvironment env = ThrowawayEnvironment.start(environment(common.partitions,
                    common.redisUrl, common.brokerProcess))) {
                run(env, report);
            }
            return 0;
        }

        abstract void run(ThrowawayEnvironment env, Report report) throws Exception;
    }

    @Command(name = "p1", description = "Overhead against an exactly-once pass-through and a store read+write.")
    static final class P1 extends Single {
        @Mixin
        P1Options options = new P1Options();

        @Override
        void run(ThrowawayEnvironment env, Report report) throws Exception {
            P1Overhead.run(env, options.with(common), report);
        }
    }

    @Command(name = "p2", description = "Slow model: throughput against the limit and a naive processor.")
    static final class P2 extends Single {
        @Mixin
        P2Options options = new P2Options();

        @Override
        void run(ThrowawayEnvironment env, Report report) throws Exception {
            P2SlowModel.run(env, options.with(common), report);
        }
    }

    static final class P2ScaleOptions {
        @Option(names = "--p2s-instances", defaultValue = "1,2,3", split = ",",
                description = "Sizes of the deployment, run one after the other (default ${DEFAULT-VALUE}).")
        List<Integer> instances;
        @Option(names = "--p2s-conversations", defaultValue = "3000", description = "Conversations.")
        int conversations;
        @Option(names = "--p2s-messages", defaultValue = "5", description = "Messages per conversation.")
        int messages;
        @Option(names = "--p2s-latency-ms", defaultValue = "400", description = "Simulated model time per turn.")
        int latencyMs;

        P2Scaling.Options with(Common common) {
            return new P2Scaling.Options(instances, conversations, messages, latencyMs, common.partitions,
                    common.maxInFlight);
        }
    }

    @Command(name = "p2-scale", description = "Slow model answered by 1, 2, 3 instances sharing the partitions "
            + "(use --partitions 12).")
    static final class P2Scale extends Single {
        @Mixin
        P2ScaleOptions options = new P2ScaleOptions();

        @Override
        void run(ThrowawayEnvironment env, Report report) throws Exception {
            P2Scaling.run(env, options.with(common), report);
        }
    }

    @Command(name = "p3", description = "Recovery after kill -9 of a processor process.")
    static final class P3 extends Single {
        @Mixin
        P3Options options = new P3Options();

        @Override
        void run(ThrowawayEnvironment env, Report report) throws Exception {
            P3Recovery.run(env, options.with(common), report);
        }
    }

    @Command(name = "p4", description = "Changelog bytes written per turn at chat pace, and heap.")
    static final class P4 extends Single {
        @Mixin
        P4Options options = new P4Options();

        @Override
        void run(ThrowawayEnvironment env, Report report) throws Exception {
            P4Memory.run(env, options.with(common), report);
        }
    }

    @Command(name = "p5", description = "Cache hit ratio and database queries per turn.")
    static final class P5 extends Single {
        @Mixin
        P5Options options = new P5Options();

        @Override
        void run(ThrowawayEnvironment env, Report report) throws Exception {
            P5Cache.run(env, options.with(common), report);
        }
    }

    @Command(name = "p7", description = "One conversation receives a burst while many others chat.")
    static final class P7 extends Single {
        @Mixin
        P7Options options = new P7Options();

        @Override
        void run(ThrowawayEnvironment env, Report report) throws Exception {
            P7HotConversation.run(env, options.with(common), report);
        }
    }

    @Command(name = "p8", description = "Expiry of many stored conversations at once, while others chat.")
    static final class P8 extends Single {
        @Mixin
        P8Options options = new P8Options();

        @Override
        void run(ThrowawayEnvironment env, Report report) throws Exception {
            P8Expiry.run(env, options.with(common), report);
        }
    }

    @Command(name = "all", description = "P1 to P5, one after the other, on one environment.")
    static final class All extends Single {
        @Mixin
        P1Options p1 = new P1Options();
        @Mixin
        P2Options p2 = new P2Options();
        @Mixin
        P3Options p3 = new P3Options();
        @Mixin
        P4Options p4 = new P4Options();
        @Mixin
        P5Options p5 = new P5Options();

        @Override
        void run(ThrowawayEnvironment env, Report report) throws Exception {
            AllResults.run(env, report, p1.with(common), p2.with(common), p3.with(common), p4.with(common),
                    p5.with(common));
        }
    }
}
