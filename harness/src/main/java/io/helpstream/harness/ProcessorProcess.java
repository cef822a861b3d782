package io.helpstream.harness;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The processor as a separate OS process: {@code java -jar helpstream.jar run} with the given environment. Its
 * output goes to one log file across restarts. Not thread-safe: one caller starts, kills and stops it.
 */
final class ProcessorProcess implements AutoCloseable {

    /** What {@code run} prints once Kafka Streams is running. */
    static final String RUNNING_LINE = "helpstream is running";
    /** A process ended by SIGKILL (signal 9) reports 128 + 9. */
    static final int SIGKILL_EXIT = 137;
    /** What a task logs when, after a restart, it restarts the turns of messages that were not answered. */
    private static final Pattern RESUMED = Pattern.compile("resumed (\\d+) conversations with unanswered messages");

    private static final Logger log = LoggerFactory.getLogger(ProcessorProcess.class);

    private final List<String> command;
    private final Map<String, String> environment;
    private final Path logFile;
    private Process process;
    private CountDownLatch running;
    private long startedAt;
    private final AtomicInteger resumed = new AtomicInteger();

    ProcessorProcess(Path jar, List<String> jvmOptions, Map<String, String> environment, Path logFile) {
        Objects.requireNonNull(jar, "jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalArgumentException("no processor jar at " + jar
                    + " (build it: ./mvnw -q -pl processor -am package -DskipTests)");
        }
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(jvmOptions);
        cmd.addAll(List.of("-jar", jar.toAbsolutePath().toString(), "run"));
        this.command = List.copyOf(cmd);
        this.environment = Map.copyOf(environment);
        this.logFile = Objects.requireNonNull(logFile, "logFile");
    }

    /** Starts a new process; the previous one must have ended. */
    void start() {
        if (process != null && process.isAlive()) {
            throw new IllegalStateException("the processor is still running (pid " + process.pid() + ")");
        }
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().putAll(environment);
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + String.join(" ", command), e);
        }
        startedAt = System.nanoTime();
        running = new CountDownLatch(1);
        Thread pump = new Thread(() -> copyOutput(process, running), "processor-output-" + process.pid());
        pump.setDaemon(true);
        pump.start();
        log.info("Started the processor, pid {}", process.pid());
    }

    /** Waits until the current process reports that it runs; false on timeout or if it died first. */
    boolean awaitRunning(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (process.isAlive() && System.nanoTime() < deadline) {
            if (running.await(200, TimeUnit.MILLISECONDS)) {
                return process.isAlive();
            }
        }
        return false;
    }

    boolean isRunning() {
        return running != null && running.getCount() == 0 && process.isAlive();
    }

    Duration uptime() {
        return Duration.ofNanos(System.nanoTime() - startedAt);
    }

    /**
     * Kills the process with SIGKILL ({@link Process#destroyForcibly()} on Linux) and waits for it to end.
     *
     * @return the exit value: {@value #SIGKILL_EXIT} proves the signal was SIGKILL
     */
    int kill() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException("processor pid " + process.pid() + " did not die after SIGKILL");
        }
        return process.exitValue();
    }

    /**
     * Restarts the process if it has ended without being killed, as a supervisor (systemd, Kubernetes) would.
     *
     * @return the exit value of the process that ended on its own; empty when it is alive
     */
    OptionalInt restartIfEnded() {
        if (process == null || process.isAlive()) {
            return OptionalInt.empty();
        }
        int exit = process.exitValue();
        log.warn("The processor (pid {}) ended on its own with exit value {}; restarting it", process.pid(), exit);
        start();
        return OptionalInt.of(exit);
    }

    /** Conversations whose unanswered messages were picked up again after a restart, over all restarts. */
    int resumedConversations() {
        return resumed.get();
    }

    long pid() {
        return process.pid();
    }

    /** Stops the process gracefully (SIGTERM), as an operator would, and forcibly if that takes too long. */
    @Override
    public void close() throws InterruptedException {
        if (process == null || !process.isAlive()) {
            return;
        }
        process.destroy();
        if (!process.waitFor(45, TimeUnit.SECONDS)) {
            log.warn("The processor did not stop within 45 s of SIGTERM; killing it");
            kill();
        }
    }

    private void copyOutput(Process child, CountDownLatch started) {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(child.getInputStream(),
                StandardCharsets.UTF_8));
             Writer file = Files.newBufferedWriter(logFile, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                     StandardOpenOption.APPEND);
             PrintWriter out = new PrintWriter(file, true)) {
            out.println("=== processor pid " + child.pid() + " ===");
            String line;
            while ((line = in.readLine()) != null) {
                out.println(line);
                if (line.contains(RUNNING_LINE)) {
                    started.countDown();
                }
                Matcher resumedTurns = RESUMED.matcher(line);
                if (resumedTurns.find()) {
                    resumed.addAndGet(Integer.parseInt(resumedTurns.group(1)));
                }
            }
        } catch (IOException e) {
            // A killed process closes its pipe; anything else is worth a line in the harness's log.
            if (child.isAlive()) {
                log.warn("Lost the processor's output: {}", e.toString());
            }
        }
    }
}
