package io.helpstream.localstack.kafka;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * How to run an {@link EmbeddedKafkaBroker}.
 *
 * @param logDirectory      where the broker keeps its data; empty for a fresh temporary directory that is deleted
 *                          on close. A given directory is kept, and reused with its topics when already formatted.
 * @param defaultPartitions partitions of a topic created without an explicit count ({@code num.partitions})
 * @param startupTimeout    how long {@link EmbeddedKafkaBroker#start()} may take before it gives up
 */
public record EmbeddedKafkaSettings(Optional<Path> logDirectory, int defaultPartitions, Duration startupTimeout) {

    public static final int DEFAULT_PARTITIONS = 1;
    public static final Duration DEFAULT_STARTUP_TIMEOUT = Duration.ofSeconds(60);

    public EmbeddedKafkaSettings {
        Objects.requireNonNull(logDirectory, "logDirectory");
        Objects.requireNonNull(startupTimeout, "startupTimeout");
        if (defaultPartitions < 1) {
            throw new IllegalArgumentException("defaultPartitions must be >= 1, was " + defaultPartitions);
        }
        if (startupTimeout.isNegative() || startupTimeout.isZero()) {
            throw new IllegalArgumentException("startupTimeout must be positive, was " + startupTimeout);
        }
    }

    /** A temporary log directory, one partition per topic, a minute to start. */
    public static EmbeddedKafkaSettings defaults() {
        return new EmbeddedKafkaSettings(Optional.empty(), DEFAULT_PARTITIONS, DEFAULT_STARTUP_TIMEOUT);
    }

    public EmbeddedKafkaSettings withLogDirectory(Path directory) {
        return new EmbeddedKafkaSettings(Optional.of(directory), defaultPartitions, startupTimeout);
    }

    public EmbeddedKafkaSettings withDefaultPartitions(int partitions) {
        return new EmbeddedKafkaSettings(logDirectory, partitions, startupTimeout);
    }

    public EmbeddedKafkaSettings withStartupTimeout(Duration timeout) {
        return new EmbeddedKafkaSettings(logDirectory, defaultPartitions, timeout);
    }
}
