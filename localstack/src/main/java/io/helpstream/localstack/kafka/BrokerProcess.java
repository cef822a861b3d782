package io.helpstream.localstack.kafka;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The in-process broker ({@link StandaloneBroker}) in a JVM of its own, started from this JVM's class path: a run
 * that measures helpstream in this JVM then pays for its own garbage collection only, as a deployment does, and not
 * for the broker's. The broker ends when {@link #close()} closes its standard input (or this JVM dies).
 */
public final class BrokerProcess implements KafkaBroker {

    private static final Logger log = LoggerFactory.getLogger(BrokerProcess.class);
    private static final Duration STOP_WAIT = Duration.ofSeconds(30);

    private final Process process;
    private final String bootstrapServers;

    private BrokerProcess(Process process, String bootstrapServers) {
        this.process = process;
        this.bootstrapServers = bootstrapServers;
    }

    /**
     * Starts the broker and waits until it accepts clients.
     *
     * @param partitions default partitions of the topics it creates
     * @param jvmOptions options of the broker's JVM (e.g. {@code -Xmx1g})
     * @param logFile    where the broker's output goes once it is ready
     */
    public static BrokerProcess start(int partitions, List<String> jvmOptions, Path logFile, Duration timeout) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), StandaloneBroker.class.getName(),
                Integer.toString(partitions)));
        Process process;
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the broker process", e);
        }
        CompletableFuture<String> ready = new CompletableFuture<>();
        Thread reader = new Thread(() -> copyOutput(process, logFile, ready), "broker-process-output");
        reader.setDaemon(true);
        reader.start();
        try {
            String servers = ready.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            log.info("Kafka broker in its own process, pid {}, at {} (log {})", process.pid(), servers, logFile);
            return new BrokerProcess(process, servers);
        } catch (ExecutionException | TimeoutException e) {
            process.destroyForcibly();
            throw new EmbeddedKafkaException("the broker process did not get ready within " + timeout
                    + " (see " + logFile + ")", e);
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new EmbeddedKafkaException("interrupted while the broker process started", e);
        }
    }

    /** Follows the broker's output into the log file and completes {@code ready} with its address. */
    private static void copyOutput(Process process, Path logFile, CompletableFuture<String> ready) {
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8));
             var out = java.nio.file.Files.newBufferedWriter(logFile, StandardCharsets.UTF_8)) {
            String line;
            while ((line = lines.readLine()) != null) {
                if (!ready.isDone() && line.startsWith(StandaloneBroker.READY_PREFIX)) {
                    ready.complete(line.substring(StandaloneBroker.READY_PREFIX.length()).trim());
                }
                out.write(line);
                out.newLine();
                out.flush();
            }
        } catch (IOException e) {
            ready.completeExceptionally(e);
        }
        ready.completeExceptionally(new IllegalStateException("the broker process ended, exit value "
                + (process.isAlive() ? "?" : process.exitValue())));
    }

    @Override
    public String bootstrapServers() {
        return bootstrapServers;
    }

    public long pid() {
        return process.pid();
    }

    @Override
    public void close() {
        try {
            process.getOutputStream().close();
            if (!process.waitFor(STOP_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
                log.warn("Broker process {} did not stop within {}; killing it", process.pid(), STOP_WAIT);
                process.destroyForcibly().waitFor(STOP_WAIT.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (IOException e) {
            process.destroyForcibly();
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
