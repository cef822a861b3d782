package io.helpstream.harness;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The chaos test's small version: three processor processes share 300 messages over 60 conversations, with a
 * scripted model served over HTTP (300 to 800 ms a call) that decides differently when asked the same thing again,
 * while one instance is killed, one restarted, one scaled down and up again and one frozen past its session timeout.
 * Needs {@code app/target/helpstream.jar} and the local PostgreSQL and Redis.
 */
class ChaosIT {

    @Test
    @Timeout(value = 6, unit = TimeUnit.MINUTES)
    void should_keep_replies_tickets_and_events_in_agreement_while_instances_are_killed_scaled_and_frozen()
            throws Exception {
        ChaosSettings settings = new ChaosSettings(300, 60, 3, 4, 3, 6, Duration.ofMillis(300),
                Duration.ofMillis(800), Duration.ofSeconds(15), processorJar(), Duration.ofMinutes(3),
                env("DATABASE_URL"), env("REDIS_URL"), false, Path.of(System.getProperty("java.io.tmpdir")));

        ChaosReport report = new ChaosRun(settings, System.out).run();
        System.out.print(report.render());

        assertThat(report.disruptions()).extracting(Disruption::kind).containsExactlyInAnyOrder(
                Disruption.Kind.values());
        Verdict verdict = report.verdict();
        assertThat(verdict.figures()).containsEntry("messages sent", 300L)
                .containsEntry("replies read (read_committed)", 300L)
                .containsEntry("conversations in the changelog", 60L);
        assertThat(verdict.figures().get("tickets created")).isPositive();
        assertThat(verdict.violations(DeliveryCheck.DUPLICATES)).isZero();
        assertThat(verdict.violations(DeliveryCheck.MISSING)).isZero();
        assertThat(verdict.violations(DeliveryCheck.ORDER)).isZero();
        assertThat(verdict.violations(ConsistencyCheck.TICKETS_WITHOUT_ONE_CREATED)).isZero();
        assertThat(verdict.violations(ConsistencyCheck.CHANGES_WITHOUT_ONE_EVENT)).isZero();
        assertThat(verdict.violations(ConsistencyCheck.OMITTED_TICKETS)).isZero();
        assertThat(verdict.violations(ConsistencyCheck.UNKNOWN_TICKETS)).isZero();
        assertThat(report.modelCalls().ratio()).isLessThanOrEqualTo(1.1);
        assertThat(report.passed()).as(report.render()).isTrue();
    }

    private static Path processorJar() {
        return Path.of(System.getProperty("helpstream.jar", "../app/target/helpstream.jar"));
    }

    private static Optional<String> env(String name) {
        return Optional.ofNullable(System.getenv(name)).filter(value -> !value.isBlank());
    }
}
