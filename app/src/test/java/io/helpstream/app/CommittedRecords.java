package io.helpstream.app;

import io.helpstream.admin.CommittedTopic;
import io.helpstream.contract.AvroSerde;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;

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
        return readRaw(bootstrapServers, topic).stream().map(record -> new ConsumerRecord<>(record.topic(),
                record.partition(), record.offset(), record.timestamp(), record.timestampType(),
                record.serializedKeySize(), record.serializedValueSize(),
                record.key() == null ? null : new String(record.key(), StandardCharsets.UTF_8), record.value(),
                record.headers(), record.leaderEpoch())).toList();
    }

    /** The records with raw keys and values, in partition order. */
    static List<ConsumerRecord<byte[], byte[]>> readRaw(String bootstrapServers, String topic) {
        return CommittedTopic.read(bootstrapServers, topic, TIMEOUT);
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
