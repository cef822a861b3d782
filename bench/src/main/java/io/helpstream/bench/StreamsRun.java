package io.helpstream.bench;

import io.helpstream.kafka.StreamsSettings;
import io.helpstream.contract.Topics;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.Properties;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.Topology;

/** A comparison topology running with the same streams settings as helpstream (exactly_once_v2, intervals). */
final class StreamsRun implements AutoCloseable {

    private final KafkaStreams streams;

    private StreamsRun(KafkaStreams streams) {
        this.streams = streams;
    }

    static StreamsRun start(Topology topology, StreamsSettings settings, Topics topics) {
        Properties properties = settings.streamsProperties(settings.bootstrapServers().orElseThrow(), topics);
        KafkaStreams streams = new KafkaStreams(topology, properties);
        streams.start();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (streams.state() != KafkaStreams.State.RUNNING) {
            if (System.nanoTime() > deadline || streams.state() == KafkaStreams.State.ERROR) {
                streams.close(Duration.ofSeconds(10));
                throw new IllegalStateException("comparison topology did not start: " + streams.state());
            }
            sleep(50);
        }
        return new StreamsRun(streams);
    }

    /** helpstream's defaults (one thread, exactly_once_v2, 100 ms commits, 20 ms polls) for another application. */
    static StreamsSettings settings(String bootstrap, String applicationId, Path stateDir, int partitions) {
        return new StreamsSettings(Optional.of(bootstrap), applicationId, stateDir, 1, partitions, (short) 1, true,
                Duration.ofMillis(100), Duration.ofMillis(20));
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    @Override
    public void close() {
        streams.close(Duration.ofSeconds(30));
        streams.cleanUp();
    }
}
