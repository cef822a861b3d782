package io.helpstream.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.helpstream.localstack.ThrowawayEnvironment;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * Every benchmark end to end at tiny sizes, on the local PostgreSQL and Redis: the figures must be there and sane.
 * Timing goals are not asserted; the real figures come from full-size runs on a quiet machine (BENCHMARKS.md).
 */
class BenchmarksIT {

    @Test
    void should_produce_sane_figures_for_every_benchmark_at_tiny_sizes() throws Exception {
        ByteArrayOutputStream text = new ByteArrayOutputStream();
        Report report = new Report(new PrintStream(text, true, StandardCharsets.UTF_8));
        AllResults results;
        try (ThrowawayEnvironment env = ThrowawayEnvironment.start(Benchmarks.environment(2,
                "redis://127.0.0.1:6379", true))) {
            results = AllResults.run(env, report,
                    new P1Overhead.Options(300, 1000, 60, 10, 100, 50, 2, 2, 32),
                    new P2SlowModel.Options(20, 2, 100, 2, 2, 32),
                    new P3Recovery.Options(100, null, null, 2, 32),
                    new P4Memory.Options(5, 12, java.util.List.of("1h", "7d"), 100, 2, 32),
                    new P5Cache.Options(100, 4, 2, 32));
        }

        P1Overhead.Result p1 = results.p1();
        for (P1Overhead.Design design : java.util.List.of(p1.passThrough(), p1.store(), p1.helpstream())) {
            assertThat(design.throughput().complete()).as(design.name()).isTrue();
            assertThat(design.throughput().throughput()).as(design.name()).isPositive();
            assertThat(design.latency().latencies().p99()).as(design.name())
                    .isGreaterThanOrEqualTo(design.latency().latencies().p50()).isPositive();
        }
        assertThat(p1.ratioToStore()).isPositive();

        P2SlowModel.Result p2 = results.p2();
        assertThat(p2.helpstream().complete()).isTrue();
        assertThat(p2.helpstream().orderViolations()).isZero();
        assertThat(p2.helpstream().duplicates()).isZero();
        assertThat(p2.naiveTurns()).isPositive();
        // One stream thread can never beat one model call at a time.
        assertThat(p2.naiveThroughput()).isLessThanOrEqualTo(1000.0 / 100 + 1);
        assertThat(p2.ratioToLimit()).isPositive().isLessThanOrEqualTo(1.05);

        P3Recovery.Result p3 = results.p3();
        assertThat(p3.fill().complete()).isTrue();
        assertThat(p3.after().complete()).isTrue();
        assertThat(p3.secondsToReply()).isPositive().isGreaterThanOrEqualTo(p3.secondsToRunning());

        P4Memory.Result p4 = results.p4();
        assertThat(p4.sizes()).hasSize(2);
        for (P4Memory.SizeRun size : p4.sizes()) {
            assertThat(size.totalTurns()).isEqualTo(60);
            assertThat(size.bytesPerTurn()).isPositive();
            assertThat(size.firstPerTurn()).isPositive();
            assertThat(size.lastPerTurn()).isPositive();
            assertThat(size.byStore().get("conversation-history").records()).isPositive();
        }
        assertThat(p4.heapAfter()).isPositive();

        P5Cache.Result p5 = results.p5();
        assertThat(p5.turns().complete()).isTrue();
        // One look-up per turn; a turn may answer several messages of its conversation that waited together.
        assertThat(p5.hits() + p5.misses() + p5.errors()).isEqualTo(p5.turns().replies());
        // Concurrent turns of one customer may all miss before the first fills the cache, but not most of them.
        assertThat(p5.misses()).isGreaterThanOrEqualTo(4).isLessThan(p5.turns().replies() / 2.0);
        assertThat(p5.hitRatio()).isBetween(0.0, 1.0);

        assertThat(text.toString(StandardCharsets.UTF_8)).contains("### P1", "### P2", "### P3", "### P4",
                "### P5", "goal");
    }

    @Test
    void should_spread_the_tasks_over_both_instances_and_answer_everything_once() throws Exception {
        ByteArrayOutputStream text = new ByteArrayOutputStream();
        Report report = new Report(new PrintStream(text, true, StandardCharsets.UTF_8));
        P2Scaling.Result result;
        try (ThrowawayEnvironment env = ThrowawayEnvironment.start(Benchmarks.environment(2,
                "redis://127.0.0.1:6379", false))) {
            // One size only (the full benchmark goes 1, 2, 3): two instances show the tasks spread.
            result = P2Scaling.run(env, new P2Scaling.Options(java.util.List.of(2), 20, 2, 100, 2, 8), report);
        }

        assertThat(result.sizes()).extracting(P2Scaling.Size::instances).containsExactly(2);
        for (P2Scaling.Size size : result.sizes()) {
            assertThat(size.tasksPerInstance()).as("tasks of %d instances", size.instances())
                    .hasSize(size.instances()).allSatisfy(tasks -> assertThat(tasks).isPositive());
            assertThat(size.result().complete()).isTrue();
            assertThat(size.result().orderViolations()).isZero();
            assertThat(size.result().duplicates()).isZero();
            assertThat(size.ratioToLimit()).isPositive().isLessThanOrEqualTo(1.05);
        }
        assertThat(text.toString(StandardCharsets.UTF_8)).contains("### P2 with several instances", "goal");
    }

    @Test
    void should_end_every_filled_and_copied_conversation_once() throws Exception {
        ByteArrayOutputStream text = new ByteArrayOutputStream();
        Report report = new Report(new PrintStream(text, true, StandardCharsets.UTF_8));
        P8Expiry.Result result;
        try (ThrowawayEnvironment env = ThrowawayEnvironment.start(Benchmarks.environment(2,
                "redis://127.0.0.1:6379", false))) {
            // 100 conversations through the application, 900 copies of them written into the changelogs.
            result = P8Expiry.run(env, new P8Expiry.Options(1000, 2, 6, 1, 20, 64, 120, 0, 2, 32, false, 100),
                    report);
        }

        assertThat(result.fill().complete()).isTrue();
        assertThat(result.ended()).as("filled and copied conversations ended").isEqualTo(1000);
        assertThat(result.duplicates()).isZero();
        assertThat(text.toString(StandardCharsets.UTF_8)).contains("### P8", "copies: conversations 100 to 999",
                "goal");
    }
}
