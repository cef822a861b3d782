package io.helpstream.bench;

import io.helpstream.config.Env;
import io.helpstream.config.HelpstreamConfig;
import io.helpstream.contract.Topics;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.Topology;

/** A comparison topology running with the same streams settings as helpstream (exactly_once_v2, intervals). */
final class StreamsRun implements AutoCloseable {

    private final KafkaStreams streams;

    private StreamsRun(KafkaStreams streams) {
        this.streams = streams;
    }

    static StreamsRun start(Topology topology, Properties properties) {
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

    /**
     * The streams properties helpstream runs with by default (one thread, exactly_once_v2, 100 ms commits, 20 ms
     * polls), for another application: configured as a deployment configures helpstream, so a comparison runs on
     * exactly what the product does.
     */
    static Properties properties(String bootstrap, String applicationId, Path stateDir, int partitions,
                                 Topics topics) {
        HelpstreamConfig config = HelpstreamConfig.fromEnvironment(new Env(Map.of(
                "KAFKA_BOOTSTRAP_SERVERS", bootstrap,
                "HELPSTREAM_APPLICATION_ID", applicationId,
                "HELPSTREAM_STATE_DIR", stateDir.toString(),
                "HELPSTREAM_PARTITIONS", Integer.toString(partitions))));
        return config.streams().streamsProperties(bootstrap, topics);
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
