package io.helpstream.app;

import io.helpstream.contract.AvroSerde;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Reads a whole topic as a {@code read_committed} consumer sees it right now: from the beginning up to the last
 * stable offset of each partition. Nothing committed before the call is missed and no wait for "more" is needed.
 */
final class CommittedRecords {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private CommittedRecords() {
    }

    /** The records with raw values, in partition order. */
    static List<ConsumerRecord<String, byte[]>> read(String bootstrapServers, String topic) {
        return read(bootstrapServers, topic, new StringDeserializer());
    }

    /** The records with raw keys and values, in partition order. */
    static List<ConsumerRecord<byte[], byte[]>> readRaw(String bootstrapServers, String topic) {
        return read(bootstrapServers, topic, new ByteArrayDeserializer());
    }

    private static <K> List<ConsumerRecord<K, byte[]>> read(String bootstrapServers, String topic,
                                                            Deserializer<K> keys) {
        Map<String, Object> config = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, IsolationLevel.READ_COMMITTED.toString(),
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        List<ConsumerRecord<K, byte[]>> read = new ArrayList<>();
        try (KafkaConsumer<K, byte[]> consumer = new KafkaConsumer<>(config, keys, new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, TIMEOUT).stream()
                    .map(info -> new TopicPartition(topic, info.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions, TIMEOUT);
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            while (!partitions.stream().allMatch(p -> consumer.position(p) >= ends.get(p))) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("could not read " + topic + " up to " + ends + " within "
                            + TIMEOUT);
                }
                consumer.poll(Duration.ofMillis(200)).forEach(read::add);
            }
        }
        return read;
    }

    /** The records' values decoded, tombstones left out. */
    static <T extends SpecificRecord> List<KeyedValue<T>> read(String bootstrapServers, String topic,
                                                              AvroSerde<T> serde) {
        return read(bootstrapServers, topic).stream()
                .filter(record -> record.value() != null)
                .map(record -> new KeyedValue<>(record.key(), serde.decode(record.value())))
                .toList();
    }

    /** A decoded record value with its key. */
    record KeyedValue<T>(String key, T value) {
    }
}
