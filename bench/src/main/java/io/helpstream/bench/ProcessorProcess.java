package io.helpstream.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@code helpstream run} in a child process, configured by environment variables as in a deployment, with its
 * stdout and stderr in files. It can be killed with SIGKILL to test recovery.
 */
final class ProcessorProcess implements AutoCloseable {

    /** What {@code helpstream run} prints once Kafka Streams is RUNNING. */
    static final String RUNNING = "helpstream is running";

    private final Process process;
    private final Path stdout;
    private final Path stderr;

    private ProcessorProcess(Process process, Path stdout, Path stderr) {
        this.process = process;
        this.stdout = stdout;
        this.stderr = stderr;
    }

    /**
     * @param processorJar the processor's jar; null to run {@code io.helpstream.cli.Helpstream} from this JVM's
     *                     class path (which holds the processor)
     */
    static ProcessorProcess start(Map<String, String> environment, String processorJar, Path logDir, String label)
            throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx1g");
        if (processorJar != null) {
            command.add("-jar");
            command.add(processorJar);
        } else {
            command.add("-cp");
            command.add(System.getProperty("java.class.path"));
            command.add("io.helpstream.cli.Helpstream");
        }
        command.add("run");
        Path stdout = logDir.resolve(label + ".out");
        Path stderr = logDir.resolve(label + ".err");
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectOutput(stdout.toFile())
                .redirectError(stderr.toFile());
        builder.environment().putAll(environment);
        return new ProcessorProcess(builder.start(), stdout, stderr);
    }

    /** Waits until the processor says it is running; false when it died or the timeout passed. */
    boolean awaitRunning(Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (Files.exists(stdout) && Files.readString(stdout).contains(RUNNING)) {
                return true;
            }
            if (!process.isAlive()) {
                return false;
            }
            StreamsRun.sleep(20);
        }
        return false;
    }

    /** SIGKILL: no shutdown hook, no clean close of the stores or the transaction. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    long pid() {
        return process.pid();
    }

    /** The last lines of its log, for error messages. */
    String logTail() {
        try {
            List<String> lines = Files.readAllLines(stderr);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    /** SIGTERM, then SIGKILL if it has not stopped within 30 s. */
    @Override
    public void close() throws InterruptedException {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }
}
