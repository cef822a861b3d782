package io.helpstream.harness;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * How a crash test runs.
 *
 * @param messages      customer messages to send
 * @param conversations conversations they are spread over
 * @param kills         SIGKILLs of the processor while the messages are sent
 * @param seed          makes the workload and the kill moments repeatable
 * @param rate          messages per second
 * @param jar           the processor's runnable jar
 * @param drainTimeout  longest wait, after the last message, for every reply
 * @param databaseUrl   {@code DATABASE_URL}: the server to create the test's own database on; empty: the local one
 * @param redisUrl      {@code REDIS_URL}: the Redis to take the test's key prefix on; empty: 127.0.0.1:6379
 * @param keep          keep the database (and the log and state directories) for inspection
 * @param workDir       where the processor's log and state directory go
 */
public record CrashSettings(int messages, int conversations, int kills, long seed, double rate, Path jar,
                            Duration drainTimeout, Optional<String> databaseUrl, Optional<String> redisUrl,
                            boolean keep, Path workDir) {

    public CrashSettings {
        Objects.requireNonNull(jar, "jar");
        Objects.requireNonNull(drainTimeout, "drainTimeout");
        Objects.requireNonNull(databaseUrl, "databaseUrl");
        Objects.requireNonNull(redisUrl, "redisUrl");
        Objects.requireNonNull(workDir, "workDir");
        if (conversations < 1 || messages < conversations) {
            throw new IllegalArgumentException("need at least one message per conversation, got " + messages
                    + " messages for " + conversations + " conversations");
        }
        if (kills < 0) {
            throw new IllegalArgumentException("kills must be >= 0, was " + kills);
        }
        if (!(rate > 0)) {
            throw new IllegalArgumentException("rate must be positive, was " + rate);
        }
    }

    /** How long sending takes at the configured rate; the kills fall within it. */
    public Duration sendingTime() {
        return Duration.ofMillis(Math.round(messages * 1000.0 / rate));
    }
}
