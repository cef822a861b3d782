package io.helpstream.kafka;

import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.KafkaClientSupplier;
import org.apache.kafka.streams.TopologyDescription;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kafka Streams' clients, with producers that know the topics the application writes before it writes them. A
 * producer learns a topic's partitions on its first send to it, and that send waits for the answer on the calling
 * thread: on the stream thread, inside whichever punctuation or record wrote first to that topic (measured: a first
 * apply step after a start waited ~10 ms per topic for the reply topic and each changelog, 60–100 ms in all). So each
 * producer asks for them on a thread of its own as soon as it exists, once the topics exist (a topic is never asked
 * for before it exists: the broker could create it, with its own defaults, before Kafka Streams creates it right).
 * How long a producer keeps them without writing is {@code metadata.max.idle.ms} ({@link StreamsSettings}).
 */
public final class WarmProducerClients implements KafkaClientSupplier {

    private static final Logger log = LoggerFactory.getLogger(WarmProducerClients.class);
    /** How long a producer's warm-up waits for the topics to exist (a first start creates changelogs late). */
    static final Duration WAIT_FOR_TOPICS = Duration.ofMinutes(5);
    private static final long RETRY_MS = 500;

    private final Set<String> topics;
    private volatile CompletableFuture<Void> lastWarmUp = CompletableFuture.completedFuture(null);

    /** Producers that learn {@code topics} (outputs and changelogs) as soon as they exist. */
    public WarmProducerClients(List<String> topics) {
        this.topics = Set.copyOf(new LinkedHashSet<>(Objects.requireNonNull(topics, "topics")));
    }

    @Override
    public Admin getAdmin(Map<String, Object> config) {
        return Admin.create(config);
    }

    @Override
    public Consumer<byte[], byte[]> getConsumer(Map<String, Object> config) {
        return new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    @Override
    public Consumer<byte[], byte[]> getRestoreConsumer(Map<String, Object> config) {
        return getConsumer(config);
    }

    @Override
    public Consumer<byte[], byte[]> getGlobalConsumer(Map<String, Object> config) {
        return getConsumer(config);
    }

    @Override
    public Producer<byte[], byte[]> getProducer(Map<String, Object> config) {
        Producer<byte[], byte[]> producer = new KafkaProducer<>(config, new ByteArraySerializer(),
                new ByteArraySerializer());
        Map<String, Object> adminConfig = new HashMap<>();
        config.forEach((name, value) -> {
            if (AdminClientConfig.configNames().contains(name)) {
                adminConfig.put(name, value);
            }
        });
        adminConfig.put(AdminClientConfig.CLIENT_ID_CONFIG,
                config.getOrDefault(ProducerConfig.CLIENT_ID_CONFIG, "helpstream") + "-warm-up");
        CompletableFuture<Void> done = new CompletableFuture<>();
        lastWarmUp = done;
        Thread thread = new Thread(() -> {
            try {
                warm(producer, adminConfig);
            } finally {
                done.complete(null);
            }
        }, "helpstream-producer-warm-up");
        thread.setDaemon(true);
        thread.start();
        return producer;
    }

    /**
     * What a topology writes: the topics of its sinks and the changelogs of its stores (as Kafka Streams names them:
     * {@code <application id>-<store>-changelog}).
     */
    public static List<String> writtenBy(TopologyDescription topology, String applicationId) {
        Set<String> written = new LinkedHashSet<>();
        for (TopologyDescription.Subtopology subtopology : topology.subtopologies()) {
            for (TopologyDescription.Node node : subtopology.nodes()) {
                if (node instanceof TopologyDescription.Sink sink && sink.topic() != null) {
                    written.add(sink.topic());
                } else if (node instanceof TopologyDescription.Processor processor) {
                    processor.stores().forEach(store -> written.add(applicationId + "-" + store + "-changelog"));
                }
            }
        }
        return List.copyOf(written);
    }

    /** Completes when the warm-up of the producer made last is over (done, or given up). */
    CompletableFuture<Void> lastWarmUp() {
        return lastWarmUp;
    }

    private void warm(Producer<byte[], byte[]> producer, Map<String, Object> adminConfig) {
        Set<String> remaining = new LinkedHashSet<>(topics);
        long deadline = System.nanoTime() + WAIT_FOR_TOPICS.toNanos();
        try (Admin admin = Admin.create(adminConfig)) {
            while (!remaining.isEmpty() && System.nanoTime() < deadline) {
                Set<String> existing = admin.listTopics().names().get(RETRY_MS * 20, TimeUnit.MILLISECONDS);
                for (String topic : List.copyOf(remaining)) {
                    if (existing.contains(topic)) {
                        producer.partitionsFor(topic);
                        remaining.remove(topic);
                    }
                }
                if (!remaining.isEmpty()) {
                    Thread.sleep(RETRY_MS);
                }
            }
            if (!remaining.isEmpty()) {
                log.debug("Topics {} did not exist within {}; a producer learns them on its first write",
                        remaining, WAIT_FOR_TOPICS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (KafkaException | ExecutionException | java.util.concurrent.TimeoutException e) {
            // The producer closed, or the cluster did not answer: the first write asks for what is missing.
            log.debug("A producer's warm-up stopped: {}", e.toString());
        }
    }
}
