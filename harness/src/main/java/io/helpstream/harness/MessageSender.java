package io.helpstream.harness;

import io.helpstream.client.ClientProperties;
import io.helpstream.client.CustomerMessages;
import io.helpstream.contract.Topics;
import io.helpstream.schema.CustomerMessage;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Sends the workload as a chat gateway would, at a steady rate, whatever state the processor is in. The idempotent
 * producer keeps each conversation's messages in order on its partition.
 */
final class MessageSender implements AutoCloseable {

    private final KafkaProducer<String, byte[]> producer;
    private final String topic;
    private final AtomicInteger sent = new AtomicInteger();
    private final AtomicReference<Exception> failure = new AtomicReference<>();

    MessageSender(String bootstrapServers, String topic) {
        Properties props = ClientProperties.gatewayProducer(bootstrapServers);
        this.producer = new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer());
        this.topic = topic;
    }

    /** Sends every message, pacing them {@code 1/rate} seconds apart; returns when all are acknowledged. */
    void sendAll(List<PlannedMessage> messages, double rate) throws InterruptedException {
        long start = System.nanoTime();
        double intervalNanos = 1e9 / rate;
        for (int i = 0; i < messages.size(); i++) {
            long due = start + Math.round(i * intervalNanos);
            long wait = due - System.nanoTime();
            if (wait > 0) {
                Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
            }
            send(messages.get(i));
        }
        producer.flush();
        Exception error = failure.get();
        if (error != null) {
            throw new IllegalStateException("a message could not be sent: " + error, error);
        }
    }

    int sent() {
        return sent.get();
    }

    private void send(PlannedMessage message) {
        CustomerMessage value = CustomerMessages.withId(message.messageId(), message.conversationId(),
                message.email(), message.text(), Instant.now());
        producer.send(new ProducerRecord<>(topic, message.conversationId(), Topics.CUSTOMER_MESSAGE.encode(value)),
                (metadata, error) -> {
                    if (error != null) {
                        failure.compareAndSet(null, error);
                    } else {
                        sent.incrementAndGet();
                    }
                });
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(10));
    }
}
