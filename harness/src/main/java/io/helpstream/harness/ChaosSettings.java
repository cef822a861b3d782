package io.helpstream.harness;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * How a multi-instance chaos test runs.
 *
 * @param messages      customer messages to send
 * @param conversations conversations they are spread over
 * @param instances     {@code helpstream run} processes sharing the work
 * @param disruptions   kills, restarts, scale-downs and pauses while the messages are sent
 * @param seed          makes the workload, the disruptions and the model's second thoughts repeatable
 * @param rate          messages per second
 * @param modelMin      shortest model call
 * @param modelMax      longest model call
 * @param downFor       how long a scaled-down instance stays down, and a paused one frozen (longer than the session
 *                      timeout, so that its tasks move)
 * @param jar           the processor's runnable jar
 * @param drainTimeout  longest wait, after the last message, for every reply
 * @param databaseUrl   the server to create the test's own database on; empty: the local one
 * @param redisUrl      the Redis to take the test's key prefix on; empty: 127.0.0.1:6379
 * @param keep          keep the database, the logs and the state directories
 * @param workDir       where the logs and state directories go
 */
public record ChaosSettings(int messages, int conversations, int instances, int disruptions, long seed, double rate,
                            Duration modelMin, Duration modelMax, Duration downFor, Path jar, Duration drainTimeout,
                            Optional<String> databaseUrl, Optional<String> redisUrl, boolean keep, Path workDir) {

    public ChaosSettings {
        Objects.requireNonNull(modelMin, "modelMin");
        Objects.requireNonNull(modelMax, "modelMax");
        Objects.requireNonNull(downFor, "downFor");
        Objects.requireNonNull(jar, "jar");
        Objects.requireNonNull(drainTimeout, "drainTimeout");
        Objects.requireNonNull(databaseUrl, "databaseUrl");
        Objects.requireNonNull(redisUrl, "redisUrl");
        Objects.requireNonNull(workDir, "workDir");
        if (conversations < 1 || messages < conversations) {
            throw new IllegalArgumentException("need at least one message per conversation, got " + messages
                    + " messages for " + conversations + " conversations");
        }
        if (instances < 2) {
            throw new IllegalArgumentException("a multi-instance test needs at least 2 instances, got " + instances);
        }
        if (disruptions < 0 || !(rate > 0)) {
            throw new IllegalArgumentException("disruptions must be >= 0 and rate positive");
        }
        if (modelMax.compareTo(modelMin) < 0) {
            throw new IllegalArgumentException("modelMax " + modelMax + " is shorter than modelMin " + modelMin);
        }
    }

    public Duration sendingTime() {
        return Duration.ofMillis(Math.round(messages * 1000.0 / rate));
    }
}
