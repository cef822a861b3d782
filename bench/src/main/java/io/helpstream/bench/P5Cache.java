package io.helpstream.bench;

import io.helpstream.app.Application;
import io.helpstream.localstack.ThrowawayEnvironment;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;

/**
 * P5: the Redis cache in front of PostgreSQL. Every turn looks up its conversation's customer; a few customers
 * share many conversations, so look-ups repeat within the TTL. Measured: {@code helpstream.cache.requests} hits and
 * misses, the pool's connection borrows ({@code hikaricp.connections.usage}, one per repository call) and the
 * committed transactions of the bench database ({@code pg_stat_database.xact_commit}, one per statement), less those
 * of an application started and stopped without turns.
 */
final class P5Cache {

    static final double GOAL = 0.95;

    record Options(int turns, int customers, int partitions, int maxInFlight) {
    }

    /**
     * @param statements committed database transactions caused by the turns (autocommit: one per statement)
     * @param borrows    connections taken from the pool during the turns
     */
    record Result(PhaseResult turns, double hits, double misses, double errors, long statements, double borrows) {
        double hitRatio() {
            return hits / (hits + misses + errors);
        }

        /** Per turn: per reply, since a turn answers every message that waited while its conversation's last ran. */
        double statementsPerTurn() {
            return statements / (double) turns.replies();
        }

        double borrowsPerTurn() {
            return borrows / turns.replies();
        }

        boolean goalMet() {
            return hitRatio() >= GOAL;
        }
    }

    private P5Cache() {
    }

    static Result run(ThrowawayEnvironment env, Options options, Report report) throws Exception {
        report.heading("P5 cache: repeated customer look-ups within the TTL");
        int conversations = Math.max(1, options.turns() / 5);
        report.line("%d turns (%d conversations × 5), one lookupCustomer each, %d distinct customers, customer TTL"
                + " 1 h", conversations * 5, conversations, options.customers());
        HelpstreamUnderTest helpstream = HelpstreamUnderTest.of(env, "p5h", options.maxInFlight(),
                options.partitions());
        // A first start creates helpstream's tables, so that both measured lifetimes start on the same schema.
        try (Application app = helpstream.start(ScriptedChatModel.withLookup())) {
            // One customer more than measured: the warm-up's, so the measured customers start uncached.
            Customers.seed(env.database(), options.customers() + 1);
        }
        long startupStatements = statementsOf(env, () -> {
            try (Application app = helpstream.start(ScriptedChatModel.withLookup())) {
                return null;
            }
        });
        MeterRegistry registry = new SimpleMeterRegistry();
        PhaseResult[] turns = new PhaseResult[1];
        double[] borrows = new double[1];
        double[] measured = new double[3];
        double[] startup = new double[1];
        long statements = statementsOf(env, () -> {
            try (Application app = helpstream.start(ScriptedChatModel.withLookup(), registry);
                 LoadDriver driver = new LoadDriver(env.bootstrapServers(),
                         helpstream.topics().customerMessages().name(), helpstream.topics().agentReplies().name(),
                         MessageFormat.HELPSTREAM, env.tag() + "p5h")) {
                // The cache connects lazily: the warm-up's turns open the connection to Redis.
                PhaseResult warmup = driver.run(warmupMessages(options.customers()), 0, Duration.ofMinutes(2));
                if (!warmup.complete()) {
                    throw new IllegalStateException("the warm-up did not complete: " + warmup);
                }
                startup[0] = count(registry, "error");
                double[] before = {count(registry, "hit"), count(registry, "miss"), count(registry, "error"),
                        borrows(registry)};
                turns[0] = driver.run(Workloads.rounds("p5", conversations, 5, options.customers()), 0,
                        Duration.ofSeconds(120 + options.turns() / 50));
                measured[0] = count(registry, "hit") - before[0];
                measured[1] = count(registry, "miss") - before[1];
                measured[2] = count(registry, "error") - before[2];
                borrows[0] = borrows(registry) - before[3];
                return null;
            }
        }) - startupStatements;
        if (!turns[0].complete()) {
            throw new IllegalStateException("the turns did not complete: " + turns[0]);
        }
        Result result = new Result(turns[0], measured[0], measured[1], measured[2], statements, borrows[0]);
        report.line("- turns: %s", result.turns());
        report.line("- cache gets: %.0f hits, %.0f misses, %.0f errors → hit ratio %.4f", result.hits(),
                result.misses(), result.errors(), result.hitRatio());
        report.line("- warm-up: %.0f cache errors while the lazy Redis connection opened (not counted above)",
                startup[0]);
        report.line("- database: %d statements (xact_commit; start-up's %d subtracted, the warm-up's included) = "
                        + "%.4f per turn; %.0f pool borrows in the measured turns = %.4f per turn", statements,
                startupStatements, result.statementsPerTurn(), result.borrows(), result.borrowsPerTurn());
        report.goal("≥ 95 % hits", result.goalMet(), String.format("%.2f %%", result.hitRatio() * 100));
        return result;
    }

    /** Twenty turns of a customer outside the measured ones. */
    private static java.util.List<LoadDriver.Message> warmupMessages(int customerIndex) {
        return java.util.stream.IntStream.range(0, 20).mapToObj(i -> new LoadDriver.Message("p5-warmup-" + i,
                Customers.email(customerIndex))).toList();
    }

    private interface Lifetime {
        Void run() throws Exception;
    }

    /**
     * Transactions committed in the bench database while an application lived. Its pool is closed at the end, and
     * a server process reports its statistics when it exits, so they are complete a moment later.
     */
    private static long statementsOf(ThrowawayEnvironment env, Lifetime lifetime) throws Exception {
        long before = DatabaseStatistics.committedTransactions(env.database());
        lifetime.run();
        StreamsRun.sleep(1500);
        return DatabaseStatistics.committedTransactions(env.database()) - before;
    }

    private static double count(MeterRegistry registry, String result) {
        return registry.find("helpstream.cache.requests").tag("operation", "get").tag("result", result).counters()
                .stream().mapToDouble(counter -> counter.count()).sum();
    }

    private static double borrows(MeterRegistry registry) {
        // The application's registry holds one pool: its database's.
        return registry.find("hikaricp.connections.usage").timers().stream()
                .mapToDouble(timer -> timer.count()).sum();
    }
}
