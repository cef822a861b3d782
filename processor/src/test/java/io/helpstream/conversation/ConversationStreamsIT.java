package io.helpstream.conversation;

import static org.assertj.core.api.Assertions.assertThat;

import io.helpstream.contract.ConversationKeys;
import io.helpstream.contract.ConversationStores;
import io.helpstream.contract.Topics;
import io.helpstream.kafka.StreamsSettings;
import io.helpstream.kafka.TopicCreator;
import io.helpstream.localstack.kafka.EmbeddedKafkaBroker;
import io.helpstream.localstack.kafka.EmbeddedKafkaSettings;
import io.helpstream.localstack.kafka.KafkaExitGuard;
import io.helpstream.schema.AgentReply;
import io.helpstream.schema.ConversationState;
import io.helpstream.schema.CustomerMessage;
import io.helpstream.schema.TokenUsage;
import io.helpstream.turn.TurnExecutor;
import io.helpstream.turn.TurnOutcome;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.errors.TaskMigratedException;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.processor.StateStoreContext;
import org.apache.kafka.streams.query.Position;
import org.apache.kafka.streams.query.PositionBound;
import org.apache.kafka.streams.query.Query;
import org.apache.kafka.streams.query.QueryConfig;
import org.apache.kafka.streams.query.QueryResult;
import org.apache.kafka.streams.state.KeyValueBytesStoreSupplier;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The conversation topology on a real broker under exactly-once: what only real transactions show.
 */
class ConversationStreamsIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(90);
    private static final Duration COMMIT_INTERVAL = Duration.ofMillis(100);

    private static EmbeddedKafkaBroker broker;

    @TempDir
    Path stateDir;

    @BeforeAll
    static void startBroker() {
        KafkaExitGuard.preventJvmExit();
        broker = EmbeddedKafkaBroker.start(EmbeddedKafkaSettings.defaults());
    }

    @AfterAll
    static void stopBroker() {
        broker.close();
        KafkaExitGuard.restoreJvmExit();
    }

    @Test
    void should_commit_no_transaction_while_no_turn_is_pending() throws Exception {
        try (Running running = start(StoreSuppliers.persistent(ConversationSettings.DEFAULT_DEDUP_RETENTION))) {
            running.send(message("quiet", "q1", "hello"));
            running.awaitReplies(read -> read.size() >= 1);

            // Let the commit of the last applied turn go through, then watch the stream thread while nothing happens.
            long settled = running.awaitCommitsSettled();
            Thread.sleep(COMMIT_INTERVAL.multipliedBy(20).toMillis());

            assertThat(running.commits()).as("transactions committed by an idle instance").isEqualTo(settled);
        }
    }

    @Test
    void should_abort_a_half_applied_turn_and_answer_its_message_with_the_apology_after_the_allowed_failure()
            throws Exception {
        AtomicInteger refused = new AtomicInteger();
        // The store refuses to record any answer but the apology in conversation "poison": applying its turn fails
        // after the reply was forwarded, the worst place for a partial commit.
        StoreSuppliers store = refusingAnswersTo("poison", refused);
        ConversationSettings settings = ConversationSettings.defaults();
        try (Running running = start(store, settings)) {
            running.send(message("poison", "p1", "poisoned"));
            running.send(message("fine", "f1", "hello"));

            List<AgentReply> replies = running.awaitReplies(read -> read.stream()
                    .map(AgentReply::getInReplyTo).toList().containsAll(List.of("p1", "f1")));
            List<ConsumerRecord<String, byte[]>> dead = running.readCommitted(running.topics.deadLetters().name(),
                    new ByteArrayDeserializer(), read -> !read.isEmpty());

            assertThat(replies).filteredOn(reply -> reply.getInReplyTo().equals("p1")).singleElement()
                    .satisfies(reply -> {
                        assertThat(reply.getText()).isEqualTo(ConversationProcessor.APOLOGY);
                        assertThat(reply.getDegraded()).isTrue();
                    });
            assertThat(replies).filteredOn(reply -> reply.getInReplyTo().equals("f1"))
                    .extracting(AgentReply::getText).containsOnly("echo hello");
            assertThat(refused.get()).isEqualTo(ApplyFailures.ALLOWED);
            assertThat(dead).singleElement().satisfies(record -> {
                assertThat(record.key()).isEqualTo("poison");
                assertThat(Topics.CUSTOMER_MESSAGE.decode(record.value()).getMessageId()).isEqualTo("p1");
                assertThat(new String(record.headers().lastHeader(DeadLetters.MESSAGE).value(),
                        StandardCharsets.UTF_8)).contains("applying its turn failed " + ApplyFailures.ALLOWED + " times");
            });
        }
    }

    @Test
    void should_answer_a_turn_whose_apply_met_a_task_migration_normally_once_the_task_is_back() throws Exception {
        AtomicInteger refused = new AtomicInteger();
        // The first answer in conversation "moved" meets a migrated task (its producer fenced): not the message's fault.
        StoreSuppliers store = refusingAnswersTo("moved", refused,
                () -> new TaskMigratedException("the task moved while its turn was applied"));
        try (Running running = start(store, ConversationSettings.defaults())) {
            running.send(message("moved", "m1", "hello"));

            List<AgentReply> replies = running.awaitReplies(read -> read.stream()
                    .anyMatch(reply -> reply.getInReplyTo().equals("m1")));

            assertThat(refused.get()).isEqualTo(1);
            assertThat(replies).filteredOn(reply -> reply.getInReplyTo().equals("m1")).singleElement()
                    .satisfies(reply -> {
                        assertThat(reply.getText()).isEqualTo("echo hello");
                        assertThat(reply.getDegraded()).isFalse();
                    });
        }
    }

    /** One application instance on the test broker, with a thread that is replaced when it fails. */
    private final class Running implements AutoCloseable {
        final Topics topics;
        final KafkaStreams streams;
        final TurnExecutor turns;

        Running(Topics topics, KafkaStreams streams, TurnExecutor turns) {
            this.topics = topics;
            this.streams = streams;
            this.turns = turns;
        }

        void send(CustomerMessage message) throws Exception {
            try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                    ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()),
                    new StringSerializer(), new ByteArraySerializer())) {
                producer.send(new ProducerRecord<>(topics.customerMessages().name(), message.getConversationId(),
                        Topics.CUSTOMER_MESSAGE.encode(message))).get();
            }
        }

        List<AgentReply> awaitReplies(Predicate<List<AgentReply>> done) {
            return readReplies("read_committed", done);
        }

        List<AgentReply> readReplies(String isolation, Predicate<List<AgentReply>> done) {
            List<AgentReply> replies = new ArrayList<>();
            read(topics.agentReplies().name(), isolation, Topics.AGENT_REPLY.deserializer(), read -> {
                replies.clear();
                read.forEach(record -> replies.add(record.value()));
                return done.test(replies);
            });
            assertThat(done.test(replies)).as("replies within %s: %s", TIMEOUT, replies).isTrue();
            return replies;
        }

        <V> List<ConsumerRecord<String, V>> readCommitted(String topic, Deserializer<V> values,
                                                         Predicate<List<ConsumerRecord<String, V>>> done) {
            return read(topic, "read_committed", values, done);
        }

        /** Commits of this instance's stream threads, each one transaction under exactly-once. */
        long commits() {
            return streams.metrics().values().stream()
                    .filter(metric -> metric.metricName().group().equals("stream-thread-metrics")
                            && metric.metricName().name().equals("commit-total"))
                    .mapToLong(metric -> ((Number) metric.metricValue()).longValue()).sum();
        }

        /** Waits until no commit happened for ten commit intervals; returns the count then. */
        long awaitCommitsSettled() throws InterruptedException {
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            long last = commits();
            long stableSince = System.nanoTime();
            while (System.nanoTime() - stableSince < COMMIT_INTERVAL.multipliedBy(10).toNanos()) {
                assertThat(System.nanoTime()).as("commits still going on after 20 s: %d", commits())
                        .isLessThan(deadline);
                Thread.sleep(20);
                long now = commits();
                if (now != last) {
                    last = now;
                    stableSince = System.nanoTime();
                }
            }
            return last;
        }

        @Override
        public void close() {
            streams.close(Duration.ofSeconds(30));
            turns.close();
        }
    }

    private Running start(StoreSuppliers store) throws Exception {
        return start(store, ConversationSettings.defaults());
    }

    private Running start(StoreSuppliers store, ConversationSettings conversations) throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        Topics topics = Topics.named("it-" + run + ".messages", "it-" + run + ".replies", "it-" + run + ".tickets",
                "it-" + run + ".events", "it-" + run + ".dead");
        StreamsSettings settings = new StreamsSettings(Optional.of(broker.bootstrapServers()), "it-" + run,
                stateDir.resolve(run), 1, 1, (short) 1, COMMIT_INTERVAL, Duration.ofMillis(20));
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                broker.bootstrapServers()))) {
            new TopicCreator(admin, Duration.ofSeconds(30)).ensureTopics(settings.topicSpecs(topics));
        }
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        TurnExecutor turns = new TurnExecutor(request -> TurnOutcome.builder()
                .replyText("echo " + request.message().getText()).model("fake").usage(new TokenUsage(1, 1, 2))
                .build(), 4, registry);
        KafkaStreams streams = new KafkaStreams(ConversationTopology.build(new StreamsBuilder(), topics,
                conversations, turns, registry, store),
                settings.streamsProperties(broker.bootstrapServers(), topics));
        streams.setUncaughtExceptionHandler(e -> StreamThreadExceptionResponse.REPLACE_THREAD);
        streams.start();
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (streams.state() != KafkaStreams.State.RUNNING) {
            assertThat(System.nanoTime()).as("RUNNING within %s", TIMEOUT).isLessThan(deadline);
            Thread.sleep(20);
        }
        return new Running(topics, streams, turns);
    }

    private static <V> List<ConsumerRecord<String, V>> read(String topic, String isolation, Deserializer<V> values,
                                                           Predicate<List<ConsumerRecord<String, V>>> done) {
        Map<String, Object> config = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "reader-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolation);
        List<ConsumerRecord<String, V>> read = new ArrayList<>();
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        try (KafkaConsumer<String, V> consumer = new KafkaConsumer<>(config, new StringDeserializer(), values)) {
            consumer.subscribe(List.of(topic));
            while (!done.test(read) && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(read::add);
            }
        }
        return read;
    }

    private static CustomerMessage message(String conversationId, String messageId, String text) {
        return TopologyHarness.message(conversationId, messageId, text);
    }

    /**
     * In-memory stores whose history store throws on a put that records an answer other than the apology in one
     * conversation: the reply is forwarded by then, the worst place for a partial commit.
     */
    private static StoreSuppliers refusingAnswersTo(String conversationId, AtomicInteger refused) {
        return refusingAnswersTo(conversationId, refused, () -> null);
    }

    /**
     * As {@link #refusingAnswersTo(String, AtomicInteger)}, but only the first answer, with the failure given (null:
     * the refusal of every answer but the apology).
     */
    private static StoreSuppliers refusingAnswersTo(String conversationId, AtomicInteger refused,
                                                    java.util.function.Supplier<RuntimeException> failure) {
        byte[] prefix = ConversationKeys.prefix(conversationId);
        StoreSuppliers memory = StoreSuppliers.inMemory(ConversationSettings.DEFAULT_DEDUP_RETENTION);
        return memory.withHistory(new KeyValueBytesStoreSupplier() {
            @Override
            public String name() {
                return ConversationStores.HISTORY;
            }

            @Override
            public KeyValueStore<Bytes, byte[]> get() {
                return new RefusingStore(memory.history().get(), value -> {
                    boolean answered = !Topics.HISTORY_TURN.decode(value).getReplyText()
                            .equals(ConversationProcessor.APOLOGY);
                    boolean refuse = answered && (failure.get() == null || refused.get() == 0);
                    if (refuse) {
                        refused.incrementAndGet();
                    }
                    return refuse;
                }, key -> Arrays.equals(key.get(), 0, prefix.length, prefix, 0, prefix.length), failure);
            }

            @Override
            public String metricsScope() {
                return "in-memory";
            }
        });
    }

    private record RefusingStore(KeyValueStore<Bytes, byte[]> inner, Predicate<byte[]> refuses,
                                 Predicate<Bytes> keys, java.util.function.Supplier<RuntimeException> failure)
            implements KeyValueStore<Bytes, byte[]> {
        @Override
        public void put(Bytes k, byte[] value) {
            if (keys.test(k) && value != null && k.get().length >= 8 && refuses.test(value)) {
                RuntimeException given = failure.get();
                throw given != null ? given : new IllegalStateException("injected store failure for " + k);
            }
            inner.put(k, value);
        }

        @Override
        public byte[] putIfAbsent(Bytes k, byte[] value) {
            return inner.putIfAbsent(k, value);
        }

        @Override
        public void putAll(List<KeyValue<Bytes, byte[]>> entries) {
            entries.forEach(entry -> put(entry.key, entry.value));
        }

        @Override
        public byte[] delete(Bytes k) {
            return inner.delete(k);
        }

        @Override
        public byte[] get(Bytes k) {
            return inner.get(k);
        }

        @Override
        public KeyValueIterator<Bytes, byte[]> range(Bytes from, Bytes to) {
            return inner.range(from, to);
        }

        @Override
        public KeyValueIterator<Bytes, byte[]> all() {
            return inner.all();
        }

        @Override
        public long approximateNumEntries() {
            return inner.approximateNumEntries();
        }

        @Override
        public String name() {
            return inner.name();
        }

        @Override
        public void init(StateStoreContext context, StateStore root) {
            inner.init(context, root);
        }

        @Override
        public void flush() {
            inner.flush();
        }

        @Override
        public void close() {
            inner.close();
        }

        @Override
        public boolean persistent() {
            return inner.persistent();
        }

        @Override
        public boolean isOpen() {
            return inner.isOpen();
        }

        @Override
        public Position getPosition() {
            return inner.getPosition();
        }

        @Override
        public <R> QueryResult<R> query(Query<R> query, PositionBound bound, QueryConfig config) {
            return inner.query(query, bound, config);
        }

        @Override
        public void commit(Map<TopicPartition, Long> offsets) {
            inner.commit(offsets);
        }

        @Override
        public Long committedOffset(TopicPartition partition) {
            return inner.committedOffset(partition);
        }

        @Override
        public boolean managesOffsets() {
            return inner.managesOffsets();
        }
    }
}
