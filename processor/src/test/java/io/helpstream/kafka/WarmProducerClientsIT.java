package io.helpstream.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.helpstream.localstack.kafka.EmbeddedKafkaBroker;
import io.helpstream.localstack.kafka.EmbeddedKafkaSettings;
import io.helpstream.localstack.kafka.KafkaExitGuard;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Producers made by {@link WarmProducerClients} against a real broker (in this JVM, so that its request counts can
 * be read): a first write to a topic they were told of asks the broker nothing more.
 */
class WarmProducerClientsIT {

    private static EmbeddedKafkaBroker broker;
    private static Admin admin;
    private static TopicCreator topics;

    @BeforeAll
    static void startBroker() {
        KafkaExitGuard.preventJvmExit();
        broker = EmbeddedKafkaBroker.start(EmbeddedKafkaSettings.defaults());
        admin = KafkaTestClients.admin(broker.bootstrapServers());
        topics = new TopicCreator(admin, Duration.ofSeconds(30));
    }

    @AfterAll
    static void stopBroker() {
        admin.close();
        broker.close();
        KafkaExitGuard.restoreJvmExit();
    }

    @Test
    void should_write_first_to_a_topic_it_was_told_of_without_asking_for_its_metadata() throws Exception {
        String told = unique("told");
        String untold = unique("untold");
        topics.ensureTopics(List.of(TopicSpec.of(told, 2, (short) 1), TopicSpec.of(untold, 2, (short) 1)));
        WarmProducerClients clients = new WarmProducerClients(List.of(told));
        try (Producer<byte[], byte[]> producer = clients.getProducer(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
            clients.lastWarmUp().get(30, TimeUnit.SECONDS);

            double before = metadataRequests();
            producer.send(new ProducerRecord<>(told, new byte[]{1})).get(30, TimeUnit.SECONDS);
            assertThat(metadataRequests()).as("metadata requests for a first write to a topic it was told of")
                    .isEqualTo(before);

            producer.send(new ProducerRecord<>(untold, new byte[]{1})).get(30, TimeUnit.SECONDS);
            assertThat(metadataRequests()).as("a topic it was not told of is asked for on its first write")
                    .isGreaterThan(before);
        }
    }

    @Test
    void should_not_ask_for_a_topic_before_it_exists_so_that_the_broker_never_creates_it() throws Exception {
        String later = unique("later");
        WarmProducerClients clients = new WarmProducerClients(List.of(later));
        try (Producer<byte[], byte[]> producer = clients.getProducer(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
            Thread.sleep(1_500); // the warm-up looked for it three times
            assertThat(admin.listTopics().names().get(30, TimeUnit.SECONDS)).doesNotContain(later);

            topics.ensureTopics(List.of(TopicSpec.of(later, 3, (short) 1)));
            clients.lastWarmUp().get(30, TimeUnit.SECONDS);
            assertThat(admin.describeTopics(List.of(later)).allTopicNames().get(30, TimeUnit.SECONDS).get(later)
                    .partitions()).as("created by its creator, with its partitions").hasSize(3);
            double before = metadataRequests();
            producer.send(new ProducerRecord<>(later, new byte[]{1})).get(30, TimeUnit.SECONDS);
            assertThat(metadataRequests()).isEqualTo(before);
        }
    }

    @Test
    void should_name_the_topics_a_topology_writes_and_the_changelogs_of_its_stores() {
        org.apache.kafka.streams.StreamsBuilder builder = new org.apache.kafka.streams.StreamsBuilder();
        builder.addStateStore(org.apache.kafka.streams.state.Stores.keyValueStoreBuilder(
                org.apache.kafka.streams.state.Stores.inMemoryKeyValueStore("counts"),
                org.apache.kafka.common.serialization.Serdes.String(),
                org.apache.kafka.common.serialization.Serdes.Long()));
        builder.<String, String>stream("in").process(() -> new org.apache.kafka.streams.processor.api
                .ContextualProcessor<String, String, String, String>() {
            @Override
            public void process(org.apache.kafka.streams.processor.api.Record<String, String> record) {
            }
        }, "counts").to("out");

        assertThat(WarmProducerClients.writtenBy(builder.build().describe(), "app"))
                .containsExactlyInAnyOrder("out", "app-counts-changelog");
    }

    /** Metadata requests the broker answered so far, all versions. */
    private static double metadataRequests() throws Exception {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        double total = 0;
        for (ObjectName name : server.queryNames(new ObjectName(
                "kafka.network:type=RequestMetrics,name=RequestsPerSec,request=Metadata,*"), null)) {
            total += ((Number) server.getAttribute(name, "Count")).doubleValue();
        }
        return total;
    }

    private static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }
}
