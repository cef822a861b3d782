package io.helpstream.localstack.process;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code helpstream run} as a separate OS process, configured by environment variables as in a deployment, that can
 * be killed with SIGKILL and started again as a supervisor would. Every start is a new process appending its stdout
 * and stderr to the same log file, which a thread of this process follows to see when it runs. One thread starts,
 * kills and stops it; others may wait for it to run.
 *
 * <pre>{@code
 * try (HelpstreamProcess helpstream = new HelpstreamProcess(ProcessSettings.jar(jar, env, log))) {
 *     helpstream.start();
 *     helpstream.awaitRunning(Duration.ofMinutes(2));
 *     int exit = helpstream.kill();   // 137
 * }
 * }</pre>
 */
public final class HelpstreamProcess implements AutoCloseable {

    /** What {@code helpstream run} prints once Kafka Streams is RUNNING. */
    public static final String RUNNING_LINE = "helpstream is running";
    /** A process ended by SIGKILL (signal 9) reports 128 + 9. */
    public static final int SIGKILL_EXIT = 137;
    /** A JVM that ran its shutdown hooks after SIGTERM (signal 15) reports 128 + 15. */
    public static final int SIGTERM_EXIT = 143;
    /** How long {@link #close()} lets the process shut down after SIGTERM before it kills it. */
    public static final Duration STOP_GRACE = Duration.ofSeconds(45);
    private static final Duration KILL_WAIT = Duration.ofSeconds(30);
    private static final int TAIL_LINES = 30;
    private static final Duration FOLLOW_POLL = Duration.ofMillis(20);

    private static final Logger LOG = LoggerFactory.getLogger(HelpstreamProcess.class);

    /** One started process: its handle, when it started, and whether it has said it is running. */
    private record Life(Process process, long startedNanos, CountDownLatch running) {
    }

    private final ProcessSettings settings;
    private volatile Life life;
    private Thread follower;

    public HelpstreamProcess(ProcessSettings settings) {
        this.settings = Objects.requireNonNull(settings, "settings");
    }

    /** Starts a new process; the previous one must have ended. */
    public synchronized void start() {
        if (life != null && life.process().isAlive()) {
            throw new IllegalStateException("helpstream is still running (pid " + life.process().pid() + ")");
        }
        awaitFollower();
        List<String> command = settings.command();
        // Straight into the file, not through a pipe: the JDK closes a child's pipe when the child exits, and the
        // last lines a dying process prints (its reason) would be lost.
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(settings.logFile().toFile()));
        builder.environment().putAll(settings.environment());
        long from = logSize();
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + String.join(" ", command), e);
        }
        // The child's JVM takes far longer to print its first line than writing this takes.
        appendToLog("=== helpstream pid " + process.pid() + " ===");
        Life started = new Life(process, System.nanoTime(), new CountDownLatch(1));
        life = started;
        follower = new Thread(() -> follow(started, from), "helpstream-output-" + process.pid());
        follower.setDaemon(true);
        follower.start();
        LOG.info("Started helpstream, pid {}, log {}", process.pid(), settings.logFile());
    }

    /** Waits until the current process says it is running; false on timeout or when it ended first. */
    public boolean awaitRunning(Duration timeout) throws InterruptedException {
        Life current = current();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (current.process().isAlive() && System.nanoTime() < deadline) {
            if (current.running().await(200, TimeUnit.MILLISECONDS)) {
                return current.process().isAlive();
            }
        }
        return false;
    }

    /** Whether the current process is alive and has said it is running. */
    public boolean isRunning() {
        Life current = life;
        return current != null && current.running().getCount() == 0 && current.process().isAlive();
    }

    /** Time since the current process was started. */
    public Duration uptime() {
        return Duration.ofNanos(System.nanoTime() - current().startedNanos());
    }

    public long pid() {
        return current().process().pid();
    }

    /**
     * Kills the current process with SIGKILL ({@link Process#destroyForcibly()} on Linux) and waits for it to end:
     * no shutdown hook runs, no store or transaction is closed.
     *
     * @return its exit value: {@value #SIGKILL_EXIT} proves the signal was SIGKILL
     */
    public synchronized int kill() throws InterruptedException {
        Process process = current().process();
        process.destroyForcibly();
        if (!process.waitFor(KILL_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new IllegalStateException("helpstream pid " + process.pid() + " did not die after SIGKILL");
        }
        return process.exitValue();
    }

    /**
     * Starts the process again if it ended without being killed, as a supervisor (systemd, Kubernetes) would.
     *
     * @return the exit value of the process that ended on its own; empty when it is alive
     */
    public synchronized OptionalInt restartIfEnded() {
        Life current = life;
        if (current == null || current.process().isAlive()) {
            return OptionalInt.empty();
        }
        int exit = current.process().exitValue();
        LOG.warn("helpstream (pid {}) ended on its own with exit value {}; starting it again",
                current.process().pid(), exit);
        start();
        return OptionalInt.of(exit);
    }

    /** The last lines of the log file, for error messages. */
    public String logTail() {
        try {
            List<String> lines = Files.readAllLines(settings.logFile(), StandardCharsets.UTF_8);
            return String.join(System.lineSeparator(), lines.subList(Math.max(0, lines.size() - TAIL_LINES),
                    lines.size()));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    /** Stops the process as an operator would (SIGTERM), and kills it if it has not ended within {@code grace}. */
    public synchronized void stop(Duration grace) throws InterruptedException {
        terminate(grace);
    }

    /**
     * {@link #stop Stops} the process with SIGTERM and waits for it.
     *
     * @return its exit value ({@value #SIGTERM_EXIT} after a clean shutdown), or -1 when it was not running
     */
    public synchronized int terminate(Duration grace) throws InterruptedException {
        Life current = life;
        if (current == null || !current.process().isAlive()) {
            return -1;
        }
        current.process().destroy();
        if (!current.process().waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
            LOG.warn("helpstream (pid {}) did not stop within {} of SIGTERM; killing it", current.process().pid(),
                    grace);
            return kill();
        }
        return current.process().exitValue();
    }

    /**
     * Freezes the process with SIGSTOP, as a long garbage collection or a suspended virtual machine would: it keeps
     * its sockets and its state, does nothing, and answers no heartbeat until {@link #resume()}.
     */
    public synchronized void pause() throws InterruptedException {
        signal("STOP");
    }

    /** Lets a {@link #pause() paused} process go on (SIGCONT). */
    public synchronized void resume() throws InterruptedException {
        signal("CONT");
    }

    private void signal(String name) throws InterruptedException {
        long pid = current().process().pid();
        try {
            Process kill = new ProcessBuilder("kill", "-" + name, String.valueOf(pid)).redirectErrorStream(true)
                    .start();
            if (!kill.waitFor(KILL_WAIT.toMillis(), TimeUnit.MILLISECONDS) || kill.exitValue() != 0) {
                throw new IllegalStateException("kill -" + name + " " + pid + " failed");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot send SIG" + name + " to " + pid, e);
        }
    }

    /** {@link #stop(Duration) Stops} the process with {@link #STOP_GRACE}. */
    @Override
    public void close() throws InterruptedException {
        stop(STOP_GRACE);
    }

    private Life current() {
        Life current = life;
        if (current == null) {
            throw new IllegalStateException("helpstream was not started");
        }
        return current;
    }

    private long logSize() {
        try {
            return Files.exists(settings.logFile()) ? Files.size(settings.logFile()) : 0;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + settings.logFile(), e);
        }
    }

    private void appendToLog(String line) {
        try {
            Files.writeString(settings.logFile(), line + System.lineSeparator(), StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            LOG.warn("Cannot write to {}: {}", settings.logFile(), e.toString());
        }
    }

    /** Waits for the previous process's follower to read its last lines, so no line is seen twice. */
    private void awaitFollower() {
        if (follower == null) {
            return;
        }
        try {
            follower.join(FOLLOW_POLL.multipliedBy(100).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting helpstream", e);
        }
    }

    /** Reads the lines the process appends to the log, from {@code from} until the process has ended. */
    private void follow(Life started, long from) {
        try (RandomAccessFile file = new RandomAccessFile(settings.logFile().toFile(), "r")) {
            file.seek(from);
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            byte[] buffer = new byte[8192];
            while (true) {
                // Checked before reading: whatever the process wrote before it ended is read once more.
                boolean ended = !started.process().isAlive();
                int read = file.read(buffer);
                if (read > 0) {
                    for (int i = 0; i < read; i++) {
                        if (buffer[i] == '\n') {
                            seen(started, line.toString(StandardCharsets.UTF_8));
                            line.reset();
                        } else {
                            line.write(buffer[i]);
                        }
                    }
                } else if (ended) {
                    if (line.size() > 0) {
                        seen(started, line.toString(StandardCharsets.UTF_8));
                    }
                    return;
                } else {
                    Thread.sleep(FOLLOW_POLL.toMillis());
                }
            }
        } catch (IOException e) {
            LOG.warn("Cannot follow helpstream's log {}: {}", settings.logFile(), e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void seen(Life started, String line) {
        if (line.contains(RUNNING_LINE)) {
            started.running().countDown();
        }
        settings.onLine().accept(line);
    }
}
