package io.helpstream.bench;

import io.helpstream.client.ClientProperties;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * The size of every conversation as the store holds it: the newest committed changelog record per key, which is
 * what a restore writes back into the store.
 */
final class ChangelogSizes {

    /** Sizes in bytes of the serialised value of the conversations whose key starts with a prefix. */
    record Sizes(int conversations, double meanBytes, long maxBytes, long totalBytes) {
    }

    private ChangelogSizes() {
    }

    static Sizes read(String bootstrapServers, String topic, String keyPrefix) {
        Properties props = ClientProperties.readCommittedConsumer(bootstrapServers);
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000);
        Map<String, Integer> latest = new HashMap<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(props, new StringDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                    .map(info -> new TopicPartition(topic, info.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("could not read changelog " + topic + " to its end");
                }
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    if (record.key() == null || !record.key().startsWith(keyPrefix)) {
                        continue;
                    }
                    if (record.value() == null) {
                        latest.remove(record.key());
                    } else {
                        latest.put(record.key(), record.value().length);
                    }
                }
            }
        }
        long total = latest.values().stream().mapToLong(Integer::longValue).sum();
        long max = latest.values().stream().mapToLong(Integer::longValue).max().orElse(0);
        return new Sizes(latest.size(), latest.isEmpty() ? 0 : total / (double) latest.size(), max, total);
    }
}
