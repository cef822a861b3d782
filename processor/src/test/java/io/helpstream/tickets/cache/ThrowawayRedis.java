package io.helpstream.tickets.cache;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A {@code redis-server} process of a test's own, on a free port, that the test may kill and start again. */
public final class ThrowawayRedis implements AutoCloseable {

    private final int port;
    private final Path dir;
    private final boolean appendOnly;
    private Process process;

    private ThrowawayRedis(int port, Path dir, boolean appendOnly) {
        this.port = port;
        this.dir = dir;
        this.appendOnly = appendOnly;
    }

    /** Without persistence: a restart comes back empty. */
    public static ThrowawayRedis volatileServer() throws IOException {
        return new ThrowawayRedis(freePort(), Files.createTempDirectory("redis-test"), false);
    }

    /** With an fsync-always append-only file: a restart comes back with every acknowledged write. */
    public static ThrowawayRedis persistentServer() throws IOException {
        return new ThrowawayRedis(freePort(), Files.createTempDirectory("redis-test"), true);
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    public String url() {
        return "redis://127.0.0.1:" + port;
    }

    public ThrowawayRedis start() throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(RedisBinary.path(), "--port", String.valueOf(port),
                "--bind", "127.0.0.1", "--save", "", "--dir", dir.toString()));
        command.addAll(appendOnly
                ? List.of("--appendonly", "yes", "--appendfsync", "always")
                : List.of("--appendonly", "no"));
        process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("redis.log").toFile())
                .start();
        awaitPong();
        return this;
    }

    /** Kills the server the hard way, as a crash or a lost host would. */
    public void kill() throws InterruptedException {
        if (process != null) {
            process.destroyForcibly();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                throw new IllegalStateException("redis-server on port " + port + " did not die");
            }
            process = null;
        }
    }

    @Override
    public void close() throws InterruptedException, IOException {
        kill();
        try (var files = Files.walk(dir)) {
            files.sorted((a, b) -> b.getNameCount() - a.getNameCount()).forEach(path -> path.toFile().delete());
        }
    }

    private void awaitPong() throws InterruptedException {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(15));
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException("redis-server exited with " + process.exitValue() + "; see "
                        + dir.resolve("redis.log"));
            }
            if (answersPing()) {
                return;
            }
            Thread.sleep(50);
        }
        throw new IllegalStateException("redis-server on port " + port + " did not answer PING");
    }

    private boolean answersPing() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
            socket.setSoTimeout(500);
            OutputStream out = socket.getOutputStream();
            out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            byte[] reply = in.readNBytes(7);
            return new String(reply, StandardCharsets.US_ASCII).equals("+PONG\r\n");
        } catch (IOException e) {
            return false;
        }
    }
}
