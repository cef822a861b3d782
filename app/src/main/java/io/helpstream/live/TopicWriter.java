package io.helpstream.live;

import io.helpstream.contract.Topic;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;

/**
 * Writes records to one topic with an idempotent producer ({@code acks=all}): a retry after a lost acknowledgement
 * does not write the record twice. {@link #write} returns once the broker has the record, or fails within the
 * timeout, so a page can tell a person whether what they did was sent.
 *
 * @param <V> the topic's values
 */
public final class TopicWriter<V> implements AutoCloseable {

    private final Topic<String, V> topic;
    private final KafkaProducer<String, V> producer;
    private final Duration timeout;

    public TopicWriter(String bootstrapServers, Topic<String, V> topic, Duration timeout, String clientId) {
        this.topic = Objects.requireNonNull(topic, "topic");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        int millis = (int) Math.min(Integer.MAX_VALUE, timeout.toMillis());
        Map<String, Object> config = Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.CLIENT_ID_CONFIG, clientId,
                ProducerConfig.LINGER_MS_CONFIG, 0,
                ProducerConfig.MAX_BLOCK_MS_CONFIG, millis,
                ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, millis,
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, millis);
        this.producer = new KafkaProducer<>(config, topic.keySerde().serializer(), topic.valueSerde().serializer());
    }

    /**
     * Writes {@code value} under {@code key} and waits for the broker's acknowledgement.
     *
     * @throws NotWritten when the broker did not take it within the timeout, or refused it
     */
    public RecordMetadata write(String key, V value) {
        try {
            return producer.send(new ProducerRecord<>(topic.name(), key, value))
                    .get(timeout.toMillis() + 1_000, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new NotWritten("interrupted", e);
        } catch (ExecutionException e) {
            throw new NotWritten(e.getCause().getClass().getSimpleName(), e.getCause());
        } catch (TimeoutException | RuntimeException e) {
            throw new NotWritten(e.getClass().getSimpleName(), e);
        }
    }

    /** A record the broker did not take; the message names the kind of failure only, never the record. */
    public static final class NotWritten extends RuntimeException {
        NotWritten(String why, Throwable cause) {
            super(why, cause);
        }
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
    }
}
