package io.helpstream.localstack.kafka;

import java.io.IOException;
import java.io.InputStream;

/**
 * The in-process broker as a program of its own, for {@link BrokerProcess}: it starts an {@link EmbeddedKafkaBroker}
 * with the default partitions given as the only argument, prints {@value #READY_PREFIX} and its bootstrap servers on
 * one line, and runs until its standard input ends — that is, until the process that started it closes the pipe or
 * dies, so that a broker is never left behind.
 */
public final class StandaloneBroker {

    /** What the broker prints, followed by its bootstrap servers, once it accepts clients. */
    public static final String READY_PREFIX = "standalone broker ready at ";

    private StandaloneBroker() {
    }

    public static void main(String[] args) throws IOException {
        int partitions = args.length > 0 ? Integer.parseInt(args[0]) : EmbeddedKafkaSettings.DEFAULT_PARTITIONS;
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(EmbeddedKafkaSettings.defaults()
                .withDefaultPartitions(partitions))) {
            System.out.println(READY_PREFIX + broker.bootstrapServers());
            System.out.flush();
            InputStream in = System.in;
            byte[] buffer = new byte[256];
            while (in.read(buffer) >= 0) {
                // Nothing is expected on standard input; its end is the signal to stop.
            }
        }
    }
}
