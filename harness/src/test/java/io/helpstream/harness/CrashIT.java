package io.helpstream.harness;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The crash test's small version: 1 000 messages over 100 conversations while the processor's jar, a separate
 * process, is killed with SIGKILL three times and restarted. A quarter of the conversations hand off to a human in
 * the middle (the harness's {@link Desk} accepts, replies and releases them): handoff events, actions and human
 * replies are checked as replies are. Needs {@code app/target/helpstream.jar} (the
 * processor module's package phase builds it) and the local PostgreSQL and Redis.
 */
class CrashIT {

    @Test
    @Timeout(value = 6, unit = java.util.concurrent.TimeUnit.MINUTES)
    void should_answer_every_message_and_every_human_action_once_when_the_processor_is_killed_three_times() throws Exception {
        CrashSettings settings = new CrashSettings(1_000, 100, 3, 42, 25, processorJar(), Duration.ofMinutes(3),
                env("DATABASE_URL"), env("REDIS_URL"), false, Path.of(System.getProperty("java.io.tmpdir")));

        CrashReport report = new CrashRun(settings, System.out).run();
        System.out.print(report.render());

        assertThat(report.kills()).hasSize(3).allMatch(Kill::bySigkill);
        Verdict verdict = report.verdict();
        assertThat(verdict.figures()).containsEntry("messages sent", 1_000L)
                .containsEntry("messages answered", 1_000L)
                .containsEntry("conversations in the changelog", 100L);
        assertThat(verdict.figures().get("tickets found")).isEqualTo(verdict.figures().get("tickets expected"))
                .isPositive();
        assertThat(verdict.violations(DeliveryCheck.DUPLICATES)).isZero();
        assertThat(verdict.violations(DeliveryCheck.MISSING)).isZero();
        assertThat(verdict.violations(DeliveryCheck.ORDER)).isZero();
        assertThat(verdict.violations(DeliveryCheck.HISTORY)).isZero();
        assertThat(verdict.violations(TicketCheck.TICKETS)).isZero();
        assertThat(verdict.violations(TicketCheck.CREATED_EVENTS)).isZero();
        assertThat(verdict.violations(StateCheck.LOST)).isZero();
        assertThat(verdict.figures()).as("every fourth conversation asks for a person").containsEntry(
                "conversations handed off", 25L);
        assertThat(verdict.figures().get("human replies read (read_committed)")).isGreaterThanOrEqualTo(50L);
        assertThat(verdict.violations(HandoffCheck.DUPLICATE_EVENTS)).isZero();
        assertThat(verdict.violations(HandoffCheck.NOT_ONCE)).isZero();
        assertThat(verdict.violations(HandoffCheck.ACTIONS_WITHOUT_ONE_OUTCOME)).isZero();
        assertThat(verdict.violations(HandoffCheck.HUMAN_REPLIES)).isZero();
        assertThat(verdict.violations(HandoffCheck.NOT_ANSWERED_BY_HUMAN)).isZero();
        assertThat(report.passed()).as(report.render()).isTrue();
    }

    private static Path processorJar() {
        return Path.of(System.getProperty("helpstream.jar", "../app/target/helpstream.jar"));
    }

    private static Optional<String> env(String name) {
        return Optional.ofNullable(System.getenv(name)).filter(value -> !value.isBlank());
    }
}
