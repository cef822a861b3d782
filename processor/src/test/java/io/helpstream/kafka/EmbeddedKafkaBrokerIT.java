package io.helpstream.kafka;

import static io.helpstream.kafka.KafkaTestClients.readUntil;
import static io.helpstream.kafka.KafkaTestClients.readValues;
import static io.helpstream.kafka.KafkaTestClients.send;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.helpstream.kafka.TopicCreationException;
import io.helpstream.kafka.TopicCreator;
import io.helpstream.kafka.TopicSpec;
import io.helpstream.localstack.kafka.EmbeddedKafkaBroker;
import io.helpstream.localstack.kafka.EmbeddedKafkaSettings;
import io.helpstream.localstack.kafka.KafkaExitGuard;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.LongDeserializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedKafkaBrokerIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private static EmbeddedKafkaBroker broker;
    private static Admin admin;
    private static TopicCreator topics;

    @BeforeAll
    static void startBroker() {
        KafkaExitGuard.preventJvmExit();
        broker = EmbeddedKafkaBroker.start(EmbeddedKafkaSettings.defaults());
        admin = KafkaTestClients.admin(broker.bootstrapServers());
        topics = new TopicCreator(admin, TIMEOUT);
    }

    @AfterAll
    static void stopBroker() {
        admin.close();
        broker.close();
        KafkaExitGuard.restoreJvmExit();
    }

    @Test
    void should_show_committed_records_and_hide_aborted_ones_from_read_committed_consumers() throws Exception {
        String topic = uniqueName("tx");
        topics.ensureTopics(List.of(TopicSpec.of(topic, 1, (short) 1)));
        try (KafkaProducer<String, String> producer = KafkaTestClients.producer(broker.bootstrapServers(),
                Map.of(ProducerConfig.TRANSACTIONAL_ID_CONFIG, uniqueName("tx-producer")))) {
            producer.initTransactions();
            inTransaction(producer, topic, "committed-1");
            producer.beginTransaction();
            producer.send(new ProducerRecord<>(topic, "k", "aborted")).get();
            producer.abortTransaction();
            inTransaction(producer, topic, "committed-2");
        }

        List<String> committed = readValues(broker.bootstrapServers(), topic, "read_committed", 2);
        List<String> uncommitted = readValues(broker.bootstrapServers(), topic, "read_uncommitted", 3);

        assertThat(committed).containsExactly("committed-1", "committed-2");
        assertThat(uncommitted).containsExactly("committed-1", "aborted", "committed-2");
    }

    @Test
    void should_count_records_per_key_exactly_once_with_a_changelogged_persistent_store(@TempDir Path stateDir)
            throws Exception {
        String input = uniqueName("words");
        String output = uniqueName("counts");
        String appId = uniqueName("counter");
        topics.ensureTopics(List.of(TopicSpec.of(input, 2, (short) 1), TopicSpec.of(output, 2, (short) 1)));
        send(broker.bootstrapServers(), input, List.of("a", "b", "a", "c", "a", "b"));

        StreamsBuilder builder = new StreamsBuilder();
        builder.stream(input, Consumed.with(Serdes.String(), Serdes.String()))
                .groupByKey()
                .count(Materialized.<String, Long>as(Stores.persistentKeyValueStore("counts"))
                        .withKeySerde(Serdes.String()).withValueSerde(Serdes.Long()))
                .toStream()
                .to(output, Produced.with(Serdes.String(), Serdes.Long()));

        Map<String, Long> latest = new HashMap<>();
        try (KafkaStreams streams = new KafkaStreams(builder.build(), streamsConfig(appId, stateDir))) {
            streams.start();
            List<ConsumerRecord<String, Long>> counts = readUntil(broker.bootstrapServers(), output,
                    "read_committed", new LongDeserializer(), read -> lastPerKey(read).equals(expectedCounts()));
            latest.putAll(lastPerKey(counts));

            Long storedA = streams.store(StoreQueryParameters.fromNameAndType("counts",
                    QueryableStoreTypes.<String, Long>keyValueStore())).get("a");
            assertThat(storedA).isEqualTo(3L);
            streams.close(TIMEOUT);
        }

        assertThat(latest).isEqualTo(expectedCounts());
        TopicDescription changelog = admin.describeTopics(Set.of(appId + "-counts-changelog"))
                .allTopicNames().get().get(appId + "-counts-changelog");
        assertThat(changelog.partitions()).hasSize(2)
                .allSatisfy(partition -> assertThat(partition.replicas()).hasSize(1));
    }

    @Test
    void should_accept_existing_topics_when_asked_to_create_them_again() throws Exception {
        List<TopicSpec> specs = List.of(
                TopicSpec.of(uniqueName("replies"), 3, (short) 1),
                TopicSpec.of(uniqueName("state"), 2, (short) 1).withConfigs(Map.of("cleanup.policy", "compact")));
        Set<String> names = Set.of(specs.get(0).name(), specs.get(1).name());

        Set<String> first = topics.ensureTopics(specs);
        Set<String> second = topics.ensureTopics(specs);

        assertThat(first).isEqualTo(names);
        assertThat(second).isEmpty();
        Map<String, TopicDescription> described = admin.describeTopics(names).allTopicNames().get();
        assertThat(described.get(specs.get(0).name()).partitions()).hasSize(3);
        assertThat(described.get(specs.get(1).name()).partitions()).hasSize(2);
    }

    @Test
    void should_report_an_existing_topic_with_fewer_partitions_than_required() {
        String name = uniqueName("narrow");
        topics.ensureTopics(List.of(TopicSpec.of(name, 1, (short) 1)));

        assertThatThrownBy(() -> topics.ensureTopics(List.of(TopicSpec.of(name, 4, (short) 1))))
                .isInstanceOf(TopicCreationException.class)
                .hasMessageContaining(name)
                .hasMessageContaining("exists with 1 partitions but 4 are required");
    }

    @Test
    void should_refuse_a_second_input_that_is_not_co_partitioned_with_the_first() {
        String messages = uniqueName("messages");
        String actions = uniqueName("actions");
        String wider = uniqueName("wider");
        topics.ensureTopics(List.of(TopicSpec.of(messages, 2, (short) 1), TopicSpec.of(actions, 2, (short) 1),
                TopicSpec.of(wider, 3, (short) 1)));

        topics.requireCoPartitioned(messages, actions);
        assertThatThrownBy(() -> topics.requireCoPartitioned(messages, wider))
                .isInstanceOf(TopicCreationException.class)
                .hasMessageContaining(wider + " has 3 partitions but " + messages + " has 2");
    }

    @Test
    void should_keep_topics_and_records_when_restarted_on_the_same_log_directory(@TempDir Path logDir)
            throws Exception {
        EmbeddedKafkaSettings settings = EmbeddedKafkaSettings.defaults().withLogDirectory(logDir);
        String topic = "kept";
        String clusterId;
        try (EmbeddedKafkaBroker first = EmbeddedKafkaBroker.start(settings);
             Admin firstAdmin = KafkaTestClients.admin(first.bootstrapServers())) {
            new TopicCreator(firstAdmin, TIMEOUT).ensureTopics(List.of(TopicSpec.of(topic, 1, (short) 1)));
            send(first.bootstrapServers(), topic, List.of("one", "two", "three"));
            clusterId = first.clusterId();
        }
        assertThat(logDir.resolve("meta.properties")).exists();

        try (EmbeddedKafkaBroker second = EmbeddedKafkaBroker.start(settings);
             Admin secondAdmin = KafkaTestClients.admin(second.bootstrapServers())) {
            assertThat(second.clusterId()).isEqualTo(clusterId);
            assertThat(secondAdmin.listTopics().names().get()).contains(topic);
            assertThat(readValues(second.bootstrapServers(), topic, "read_committed", 3))
                    .containsExactly("one", "two", "three");
        }
    }

    @Test
    void should_run_a_second_broker_beside_the_first_with_its_own_data() throws Exception {
        String topic = uniqueName("twin");
        Path secondDir;
        try (EmbeddedKafkaBroker second = EmbeddedKafkaBroker.start(EmbeddedKafkaSettings.defaults());
             Admin secondAdmin = KafkaTestClients.admin(second.bootstrapServers())) {
            secondDir = second.logDirectory();
            assertThat(second.bootstrapServers()).isNotEqualTo(broker.bootstrapServers());
            assertThat(second.clusterId()).isNotEqualTo(broker.clusterId());

            topics.ensureTopics(List.of(TopicSpec.of(topic, 1, (short) 1)));
            new TopicCreator(secondAdmin, TIMEOUT).ensureTopics(List.of(TopicSpec.of(topic, 1, (short) 1)));
            send(broker.bootstrapServers(), topic, List.of("first"));
            send(second.bootstrapServers(), topic, List.of("second"));

            assertThat(readValues(broker.bootstrapServers(), topic, "read_committed", 1)).containsExactly("first");
            assertThat(readValues(second.bootstrapServers(), topic, "read_committed", 1)).containsExactly("second");
        }
        assertThat(Files.exists(secondDir)).as("temporary log directory deleted on close").isFalse();
    }

    private static void inTransaction(KafkaProducer<String, String> producer, String topic, String value)
            throws Exception {
        producer.beginTransaction();
        producer.send(new ProducerRecord<>(topic, "k", value)).get();
        producer.commitTransaction();
    }

    private static Properties streamsConfig(String appId, Path stateDir) {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, appId);
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        props.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, 1);
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 100);
        props.put(StreamsConfig.consumerPrefix("auto.offset.reset"), "earliest");
        return props;
    }

    private static Map<String, Long> expectedCounts() {
        return Map.of("a", 3L, "b", 2L, "c", 1L);
    }

    private static Map<String, Long> lastPerKey(List<ConsumerRecord<String, Long>> records) {
        Map<String, Long> last = new HashMap<>();
        records.forEach(record -> last.put(record.key(), record.value()));
        return last;
    }

    private static String uniqueName(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }
}
