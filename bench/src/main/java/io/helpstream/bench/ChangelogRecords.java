package io.helpstream.bench;

import io.helpstream.client.ClientProperties;
import io.helpstream.contract.ConversationStores;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Every record written to the changelog topics of an application's conversation stores
 * ({@link ConversationStores#all()}), read from offset 0: what the processor wrote, record by record.
 */
final class ChangelogRecords {

    /** One changelog record; a null value is a tombstone. */
    record Written(String store, int partition, long offset, byte[] key, byte[] value) {
        /** Key plus value, as the producer hands them over (before batching and compression). */
        int bytes() {
            return key.length + (value == null ? 0 : value.length);
        }
    }

    /** Where each changelog partition ended at one moment: store → partition → offset. */
    record Marks(Map<String, Map<Integer, Long>> offsets) {
        long of(String store, int partition) {
            return offsets.getOrDefault(store, Map.of()).getOrDefault(partition, 0L);
        }
    }

    private ChangelogRecords() {
    }

    static List<String> topics(String applicationId) {
        return ConversationStores.all().stream().map(store -> ConversationStores.changelog(applicationId, store))
                .toList();
    }

    /**
     * Where the changelogs end now for a {@code read_committed} reader (the last stable offsets), once no
     * transaction is open on them any more (waits up to 10 s for that; after that takes the stable offsets).
     */
    static Marks marks(String bootstrapServers, String applicationId) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (true) {
            Map<String, Map<Integer, Long>> committed = ends(bootstrapServers, applicationId,
                    IsolationLevel.READ_COMMITTED);
            Map<String, Map<Integer, Long>> written = ends(bootstrapServers, applicationId,
                    IsolationLevel.READ_UNCOMMITTED);
            if (committed.equals(written) || System.nanoTime() > deadline) {
                return new Marks(committed);
            }
            StreamsRun.sleep(100);
        }
    }

    private static Map<String, Map<Integer, Long>> ends(String bootstrapServers, String applicationId,
                                                        IsolationLevel isolation) {
        Map<String, Map<Integer, Long>> ends = new LinkedHashMap<>();
        try (KafkaConsumer<byte[], byte[]> consumer = consumer(bootstrapServers, isolation)) {
            for (String store : ConversationStores.all()) {
                List<TopicPartition> partitions = partitions(consumer, ConversationStores.changelog(applicationId,
                        store));
                Map<Integer, Long> of = new HashMap<>();
                consumer.endOffsets(partitions).forEach((partition, offset) -> of.put(partition.partition(), offset));
                ends.put(store, of);
            }
        }
        return ends;
    }

    /** Every record of every conversation changelog, from offset 0, as a reader with {@code isolation} sees it. */
    static List<Written> read(String bootstrapServers, String applicationId, IsolationLevel isolation) {
        List<Written> all = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = consumer(bootstrapServers, isolation)) {
            for (String store : ConversationStores.all()) {
                String topic = ConversationStores.changelog(applicationId, store);
                List<TopicPartition> partitions = partitions(consumer, topic);
                consumer.assign(partitions);
                consumer.seekToBeginning(partitions);
                Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
                long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
                while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException("could not read changelog " + topic + " to its end");
                    }
                    for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                        all.add(new Written(store, record.partition(), record.offset(), record.key(),
                                record.value()));
                    }
                }
            }
        }
        return all;
    }

    private static List<TopicPartition> partitions(KafkaConsumer<byte[], byte[]> consumer, String topic) {
        return consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                .map(info -> new TopicPartition(topic, info.partition())).toList();
    }

    private static KafkaConsumer<byte[], byte[]> consumer(String bootstrapServers, IsolationLevel isolation) {
        Properties props = ClientProperties.readCommittedConsumer(bootstrapServers);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolation.toString().toLowerCase(Locale.ROOT));
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000);
        return new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }
}
