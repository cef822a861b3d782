package io.helpstream.localstack.kafka;

/**
 * A Kafka broker a local run talks to: in this JVM ({@link EmbeddedKafkaBroker}) or in a process of its own
 * ({@link BrokerProcess}), so that a measurement of helpstream does not include the broker's garbage collection.
 */
public interface KafkaBroker extends AutoCloseable {

    String bootstrapServers();

    /** Stops the broker and removes its temporary log directory. */
    @Override
    void close();
}
