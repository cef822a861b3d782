package io.helpstream.localstack.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The launcher against a stand-in for {@code helpstream run} that runs in a child JVM of its own. */
class HelpstreamProcessTest {

    private static final Duration START = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    @Test
    void should_pass_the_environment_log_every_line_and_report_running() throws Exception {
        List<String> seen = new CopyOnWriteArrayList<>();
        ProcessSettings settings = fake(Map.of("FAKE_GREETING", "hello")).withOnLine(seen::add);

        try (HelpstreamProcess process = new HelpstreamProcess(settings)) {
            process.start();

            assertThat(process.awaitRunning(START)).isTrue();
            assertThat(process.isRunning()).isTrue();
            assertThat(process.uptime()).isPositive();
            assertThat(seen).contains("command: run", "greeting: hello");
            assertThat(Files.readString(log())).contains("=== helpstream pid " + process.pid() + " ===",
                    "command: run", "greeting: hello", HelpstreamProcess.RUNNING_LINE);
        }
    }

    @Test
    void should_kill_with_sigkill_and_start_again_into_the_same_log() throws Exception {
        try (HelpstreamProcess process = new HelpstreamProcess(fake(Map.of()))) {
            process.start();
            assertThat(process.awaitRunning(START)).isTrue();
            long first = process.pid();

            assertThat(process.kill()).isEqualTo(HelpstreamProcess.SIGKILL_EXIT);
            assertThat(process.isRunning()).isFalse();

            process.start();
            assertThat(process.awaitRunning(START)).isTrue();
            assertThat(process.pid()).isNotEqualTo(first);
            assertThat(Files.readString(log())).contains("=== helpstream pid " + first + " ===",
                    "=== helpstream pid " + process.pid() + " ===").doesNotContain("stopped by SIGTERM");
        }
    }

    @Test
    void should_start_again_a_process_that_ended_on_its_own_and_report_its_exit_value() throws Exception {
        try (HelpstreamProcess process = new HelpstreamProcess(fake(Map.of("FAKE_EXIT", "3")))) {
            process.start();
            long first = process.pid();
            assertThat(process.awaitRunning(START)).isFalse();
            ProcessHandle.of(first).ifPresent(handle -> handle.onExit().join());

            assertThat(process.restartIfEnded()).isEqualTo(OptionalInt.of(3));
            assertThat(process.pid()).isNotEqualTo(first);
        }
    }

    @Test
    void should_stop_gracefully_with_sigterm() throws Exception {
        HelpstreamProcess process = new HelpstreamProcess(fake(Map.of()));
        process.start();
        assertThat(process.awaitRunning(START)).isTrue();

        process.close();

        assertThat(process.isRunning()).isFalse();
        assertThat(eventuallyLogged("stopped by SIGTERM")).as("the shutdown hook ran").isTrue();
    }

    @Test
    void should_freeze_a_process_with_sigstop_and_let_it_go_on_with_sigcont() throws Exception {
        try (HelpstreamProcess process = new HelpstreamProcess(fake(Map.of()))) {
            process.start();
            assertThat(process.awaitRunning(START)).isTrue();

            process.pause();
            assertThat(state(process.pid())).as("stopped").isEqualTo('T');
            process.resume();
            assertThat(state(process.pid())).isNotEqualTo('T');

            assertThat(process.terminate(Duration.ofSeconds(30))).isEqualTo(HelpstreamProcess.SIGTERM_EXIT);
            assertThat(process.terminate(Duration.ofSeconds(30))).as("no process left").isEqualTo(-1);
        }
    }

    /** The process state letter Linux reports ({@code T} for stopped). */
    private static char state(long pid) throws Exception {
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        return stat.charAt(stat.lastIndexOf(')') + 2);
    }

    @Test
    void should_refuse_a_missing_jar_and_say_how_to_build_it() {
        assertThatThrownBy(() -> ProcessSettings.jar(dir.resolve("helpstream.jar"), Map.of(), log()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("package");
    }

    private ProcessSettings fake(Map<String, String> environment) {
        return new ProcessSettings(List.of("-cp", System.getProperty("java.class.path"),
                FakeHelpstream.class.getName()), List.of("-Xmx64m"), environment, log(), line -> { });
    }

    /** The copying thread may write the last lines a moment after the process ended. */
    private boolean eventuallyLogged(String text) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline) {
            if (Files.readString(log()).contains(text)) {
                return true;
            }
            Thread.sleep(50);
        }
        return false;
    }

    private Path log() {
        return dir.resolve("helpstream.log");
    }
}
