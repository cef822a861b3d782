package io.helpstream.live;

import io.helpstream.contract.Topic;
import io.helpstream.protection.Redaction;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.BiConsumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows every partition of a topic on a thread of its own, as a {@code read_committed} consumer without a group
 * (nothing committed, no one else's offsets moved), and hands each record it can read to a sink. A record it cannot
 * read is logged and skipped: one bad record must not stop a page from showing the others.
 *
 * @param <V> the topic's values
 */
public final class CommittedFeed<V> implements AutoCloseable {

    /** Where the feed starts reading. */
    public enum From { BEGINNING, END }

    private static final Logger log = LoggerFactory.getLogger(CommittedFeed.class);
    private static final Duration POLL = Duration.ofMillis(200);

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final Thread thread;
    private volatile boolean closed;

    private CommittedFeed(KafkaConsumer<byte[], byte[]> consumer, Thread thread) {
        this.consumer = consumer;
        this.thread = thread;
    }

    /**
     * Assigns every partition of the topic, positioned at {@code from} before this returns (so that a record written
     * after it is seen), and starts handing records to {@code sink} (key, value) on a thread named {@code name}.
     *
     * @throws IllegalStateException when the topic does not exist or cannot be described within {@code timeout}
     */
    public static <V> CommittedFeed<V> start(String bootstrapServers, Topic<String, V> topic, From from,
                                             Duration timeout, String name, BiConsumer<String, V> sink) {
        Objects.requireNonNull(sink, "sink");
        Map<String, Object> config = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, IsolationLevel.READ_COMMITTED.toString(),
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.CLIENT_ID_CONFIG, name);
        KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(config, new ByteArrayDeserializer(),
                new ByteArrayDeserializer());
        try {
            List<TopicPartition> partitions = consumer.partitionsFor(topic.name(), timeout).stream()
                    .map(info -> new TopicPartition(topic.name(), info.partition())).toList();
            if (partitions.isEmpty()) {
                throw new IllegalStateException("topic " + topic.name() + " does not exist");
            }
            consumer.assign(partitions);
            if (from == From.BEGINNING) {
                consumer.seekToBeginning(partitions);
            } else {
                consumer.seekToEnd(partitions);
            }
            partitions.forEach(partition -> consumer.position(partition, timeout));
        } catch (RuntimeException e) {
            consumer.close();
            throw e;
        }
        CommittedFeed<V>[] self = new CommittedFeed[1];
        Thread thread = new Thread(() -> self[0].run(topic, sink), name);
        thread.setDaemon(true);
        self[0] = new CommittedFeed<>(consumer, thread);
        thread.start();
        return self[0];
    }

    private void run(Topic<String, V> topic, BiConsumer<String, V> sink) {
        try {
            while (!closed) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(POLL)) {
                    hand(topic, record, sink);
                }
            }
        } catch (WakeupException e) {
            // close() asked the poll to end.
        } catch (RuntimeException e) {
            if (!closed) {
                log.error("Following {} stopped: {}", topic.name(), Redaction.describe(e));
            }
        } finally {
            consumer.close();
        }
    }

    private void hand(Topic<String, V> topic, ConsumerRecord<byte[], byte[]> record, BiConsumer<String, V> sink) {
        V value;
        try {
            value = record.value() == null ? null
                    : topic.valueSerde().deserializer().deserialize(topic.name(), record.value());
        } catch (RuntimeException e) {
            log.warn("Skipping unreadable record {}-{}@{}: {}", topic.name(), record.partition(), record.offset(),
                    Redaction.describe(e));
            return;
        }
        if (value == null) {
            return;
        }
        String key = record.key() == null ? null
                : topic.keySerde().deserializer().deserialize(topic.name(), record.key());
        try {
            sink.accept(key, value);
        } catch (RuntimeException e) {
            log.warn("A record of {} could not be shown: {}", topic.name(), Redaction.describe(e));
        }
    }

    @Override
    public void close() {
        closed = true;
        try {
            consumer.wakeup();
        } catch (RuntimeException e) {
            // Already closed by its thread.
        }
        try {
            thread.join(Duration.ofSeconds(10).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
