package io.helpstream.bench;

import io.helpstream.client.ClientProperties;
import io.helpstream.contract.ConversationKeys;
import io.helpstream.contract.ConversationStores;
import io.helpstream.contract.Topics;
import io.helpstream.schema.ConversationMeta;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.utils.Utils;

/**
 * Many stored conversations without running a turn for each: conversations the real application filled (the
 * sample) are copied, record by record, into the changelogs of the conversation stores under new conversation ids,
 * each on the partition its id maps to. An instance started afterwards restores the copies as if it had written them.
 * A copy is the sample's records with the id changed wherever it is stored (the key of every store, the meta's
 * {@code conversationId}): the same meta, history turn, message id and expiry entry, byte for byte otherwise. The
 * tombstones of the sample's pending messages are not copied (a store holds no value for them).
 *
 * <p>Conversation {@code prefix + n} of the sample is copied to {@code prefix + (n + k × sample)}, k = 1, 2, ...
 * until {@code total}: the copies keep the sample's numbering, so the side of P8 counts them like filled ones.
 */
final class ChangelogFill {

    /** The stores a conversation has records in once its turn is done, copied in this order. */
    private static final List<String> STORES = List.of(ConversationStores.META, ConversationStores.HISTORY,
            ConversationStores.DEDUP, ConversationStores.EXPIRY);
    /** A window store's changelog key ends with the window's start and a sequence number. */
    private static final int WINDOW_SUFFIX = Long.BYTES + Integer.BYTES;

    /** One record of a sampled conversation: its store, its conversation's number, its key and value. */
    private record Sampled(String store, int number, byte[] key, byte[] value) {
    }

    /** What was written: records and their key + value bytes, and how long it took. */
    record Copied(long records, long bytes, double seconds) {
    }

    private ChangelogFill() {
    }

    /**
     * Copies conversations {@code prefix + 0 .. sample - 1} until {@code prefix + 0 .. total - 1} are stored.
     *
     * @throws IllegalStateException when a sampled conversation has no meta (the sample is not complete)
     */
    static Copied copy(String bootstrapServers, String applicationId, int partitions, String prefix, int sample,
                       int total) {
        long start = System.nanoTime();
        List<Sampled> records = sampled(bootstrapServers, applicationId, prefix, sample);
        Properties props = ClientProperties.gatewayProducer(bootstrapServers);
        props.put(ProducerConfig.LINGER_MS_CONFIG, 50);
        props.put(ProducerConfig.BATCH_SIZE_CONFIG, 512 * 1024);
        props.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        props.put(ProducerConfig.BUFFER_MEMORY_CONFIG, 128L * 1024 * 1024);
        AtomicReference<Exception> failed = new AtomicReference<>();
        long written = 0;
        long bytes = 0;
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props, new ByteArraySerializer(),
                new ByteArraySerializer())) {
            for (int base = sample; base < total; base += sample) {
                for (Sampled record : records) {
                    int number = base + record.number();
                    if (number >= total) {
                        continue;
                    }
                    String id = prefix + number;
                    byte[] key = key(record, id);
                    byte[] value = record.store().equals(ConversationStores.META) ? meta(record.value(), id)
                            : record.value();
                    int partition = Utils.toPositive(Utils.murmur2(id.getBytes(StandardCharsets.UTF_8))) % partitions;
                    producer.send(new ProducerRecord<>(ConversationStores.changelog(applicationId, record.store()),
                            partition, key, value), (metadata, e) -> {
                                if (e != null) {
                                    failed.compareAndSet(null, e);
                                }
                            });
                    written++;
                    bytes += key.length + value.length;
                }
                if (failed.get() != null) {
                    break;
                }
            }
            producer.flush();
        }
        if (failed.get() != null) {
            throw new IllegalStateException("writing the copies failed", failed.get());
        }
        return new Copied(written, bytes, (System.nanoTime() - start) / 1e9);
    }

    /** The live records of the sampled conversations, as their changelogs hold them last. */
    private static List<Sampled> sampled(String bootstrapServers, String applicationId, String prefix, int sample) {
        Map<String, Map<ByteBuffer, byte[]>> latest = new LinkedHashMap<>();
        for (ChangelogRecords.Written record : ChangelogRecords.read(bootstrapServers, applicationId,
                IsolationLevel.READ_COMMITTED)) {
            if (!STORES.contains(record.store())) {
                continue;
            }
            Map<ByteBuffer, byte[]> store = latest.computeIfAbsent(record.store(), s -> new LinkedHashMap<>());
            if (record.value() == null) {
                store.remove(ByteBuffer.wrap(record.key()));
            } else {
                store.put(ByteBuffer.wrap(record.key()), record.value());
            }
        }
        List<Sampled> sampled = new ArrayList<>();
        boolean[] hasMeta = new boolean[sample];
        for (String store : STORES) {
            latest.getOrDefault(store, Map.of()).forEach((key, value) -> {
                byte[] bytes = key.array();
                int number = number(prefix, conversationOf(store, bytes));
                if (number >= 0 && number < sample) {
                    sampled.add(new Sampled(store, number, bytes, value));
                    if (store.equals(ConversationStores.META)) {
                        hasMeta[number] = true;
                    }
                }
            });
        }
        for (int n = 0; n < sample; n++) {
            if (!hasMeta[n]) {
                throw new IllegalStateException("sampled conversation " + prefix + n + " has no meta");
            }
        }
        return sampled;
    }

    private static String conversationOf(String store, byte[] key) {
        return switch (store) {
            case ConversationStores.META -> new String(key, StandardCharsets.UTF_8);
            case ConversationStores.EXPIRY -> ConversationKeys.conversationOfDeadline(key);
            default -> ConversationKeys.conversationOf(key); // history entries; dedup message keys start alike
        };
    }

    /** The key of {@code record} for conversation {@code id}. */
    private static byte[] key(Sampled record, String id) {
        byte[] key = record.key();
        return switch (record.store()) {
            case ConversationStores.META -> id.getBytes(StandardCharsets.UTF_8);
            case ConversationStores.HISTORY -> ConversationKeys.entry(id, ConversationKeys.sequenceOf(key));
            case ConversationStores.EXPIRY -> ConversationKeys.deadline(ConversationKeys.deadlineOf(key), id);
            case ConversationStores.DEDUP -> {
                byte[] messageKey = Arrays.copyOf(key, key.length - WINDOW_SUFFIX);
                int prefixLength = ConversationKeys.prefix(ConversationKeys.conversationOf(messageKey)).length;
                String messageId = new String(messageKey, prefixLength, messageKey.length - prefixLength,
                        StandardCharsets.UTF_8);
                byte[] copied = ConversationKeys.message(id, messageId);
                yield ByteBuffer.allocate(copied.length + WINDOW_SUFFIX).put(copied)
                        .put(key, key.length - WINDOW_SUFFIX, WINDOW_SUFFIX).array();
            }
            default -> throw new IllegalArgumentException("not a copied store: " + record.store());
        };
    }

    private static byte[] meta(byte[] value, String id) {
        ConversationMeta meta = Topics.CONVERSATION_META.decode(value);
        meta.setConversationId(id);
        return Topics.CONVERSATION_META.encode(meta);
    }

    /** The number of a conversation named {@code prefix + n}; -1 for any other. */
    private static int number(String prefix, String conversationId) {
        if (!conversationId.startsWith(prefix)) {
            return -1;
        }
        try {
            return Integer.parseInt(conversationId.substring(prefix.length()));
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
