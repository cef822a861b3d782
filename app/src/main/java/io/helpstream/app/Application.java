package io.helpstream.app;

import dev.langchain4j.model.chat.ChatModel;
import io.helpstream.agent.Agents;
import io.helpstream.config.HelpstreamConfig;
import io.helpstream.conversation.ControlTopic;
import io.helpstream.conversation.ConversationExceptionHandler;
import io.helpstream.conversation.ConversationQueries;
import io.helpstream.conversation.ConversationTopology;
import io.helpstream.conversation.StoreSuppliers;
import io.helpstream.fencing.postgres.PostgresTaskFences;
import io.helpstream.journal.TurnJournals;
import io.helpstream.journal.postgres.PostgresTurnJournal;
import io.helpstream.kafka.StreamsSettings;
import io.helpstream.kafka.WarmProducerClients;
import io.helpstream.kafka.TopicCreator;
import io.helpstream.localstack.kafka.EmbeddedKafkaBroker;
import io.helpstream.localstack.kafka.EmbeddedKafkaSettings;
import io.helpstream.protection.DataProtection;
import io.helpstream.protection.DeadLetterPayload;
import io.helpstream.kafka.TopicSpec;
import io.helpstream.tickets.SupportRepository;
import io.helpstream.tickets.cache.CacheSettings;
import io.helpstream.tickets.cache.CachingSupportRepository;
import io.helpstream.tickets.cache.RedisLookupCache;
import io.helpstream.tickets.postgres.Database;
import io.helpstream.tickets.postgres.SharedSecrets;
import io.helpstream.turn.Agent;
import io.helpstream.turn.TurnExecutor;
import io.helpstream.telemetry.Tracing;
import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.api.OpenTelemetry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.streams.CloseOptions.GroupMembershipOperation;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TopologyConfig;
import org.apache.kafka.streams.errors.ProcessorStateException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * helpstream, running: finds or starts what it needs (Kafka, PostgreSQL, Redis), wires the ports to their adapters
 * and starts the Kafka Streams topology. Closing stops everything in reverse order. Every meter, helpstream's own, the
 * Kafka Streams client's and the JVM's, goes to one registry (by default a Prometheus one, which the operations
 * endpoint serves).
 */
public final class Application implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Application.class);

    private final Deque<AutoCloseable> resources = new ArrayDeque<>();
    private final MeterRegistry registry;
    /** The configuration as run: with the in-process broker's address when none was configured. */
    private final HelpstreamConfig config;
    private final KafkaStreams streams;
    private final Database database;
    private RedisLookupCache cache;

    private Application(HelpstreamConfig configured, MeterRegistry registry, ChatModel chatModel,
                        OpenTelemetry openTelemetry) {
        this.registry = registry;
        try {
            this.config = configured.withStreams(kafka(configured.streams()));
            Tracing tracing = Tracing.of(openTelemetry != null ? openTelemetry
                    : owned(TracingSdk.start(config.tracing())));
            createTopics();
            this.database = own(SupportDatabase.open(config, registry, config.sampleData())).database();
            SupportRepository repository = cached(database.repository());
            // The journal of turns lives next to the idempotency records: turns run off the stream thread and record
            // each step before acting on it, which a store written through the stream thread could not take in time.
            TurnJournals journals = own(new TurnJournals(new PostgresTurnJournal(database.jdbi()), config.journal(),
                    registry));
            journals.start();
            Agent agent = Agents.create(chatModel != null ? chatModel : Agents.chatModel(config.model(), registry),
                    config.agent(), repository, database.tokenLedger(), journals, config.agentName(), registry,
                    tracing);
            // Each task's owner claims its fence in PostgreSQL, where every instance's writes are checked against it.
            TurnExecutor turns = own(new TurnExecutor(agent, config.maxInFlightTurns(),
                    config.conversations().turnTimeout(), new PostgresTaskFences(database.jdbi()), registry));

            StreamsSettings streamsSettings = config.streams();
            DataProtection protection = config.protection();
            Properties properties = streamsSettings.streamsProperties(bootstrapServers(), config.topics(),
                    protection.deadLetterPolicy());
            // The exception handlers count the dead letters they write in the application's registry.
            properties.put(ConversationExceptionHandler.METERS, registry);
            // Where the other instances forward a request for a conversation this one owns.
            config.http().applicationServer().ifPresent(server -> properties.put(
                    StreamsConfig.APPLICATION_SERVER_CONFIG, server));
            StreamsBuilder builder = new StreamsBuilder(new TopologyConfig(new StreamsConfig(properties)));
            Topology topology = ConversationTopology.build(builder, config.topics(), config.conversations(), turns,
                    registry, StoreSuppliers.persistent(config.conversations().dedupRetention()), protection, tracing,
                    ControlTopic.of(streamsSettings.applicationId()), Optional.of(repository));
            // Producers learn where the topics they write are before the stream thread's first write waits for it.
            this.streams = new KafkaStreams(topology, properties, new WarmProducerClients(
                    WarmProducerClients.writtenBy(topology.describe(), streamsSettings.applicationId())));
            warnOfPlainDeadLetters(protection);
            // A stream thread that dies is replaced (its tasks are recovered from their changelogs), but not in a loop:
            // past the configured number of failures within the window the instance shuts down, saying why.
            streams.setUncaughtExceptionHandler(new StreamThreadFailures(config.threadFailures().maxFailures(),
                    config.threadFailures().window(), Clock.systemUTC()));
            // Leave the group on close (the default without HELPSTREAM_INSTANCE_ID): a restarted instance joins under a
            // new member id, and without the leave the group would wait out the old member's session timeout before
            // anyone gets its partitions again. A static member stays by default: it comes back under its id and takes
            // its partitions at once, where leaving would make the group rebalance twice.
            GroupMembershipOperation membership = streamsSettings.rebalancing().leaveGroupOnShutdown()
                    ? GroupMembershipOperation.LEAVE_GROUP : GroupMembershipOperation.REMAIN_IN_GROUP;
            // Before the stream threads close, running turns are given the shutdown grace to finish and be applied, so
            // that the close commits their answers and the next owner of their tasks does not run them again.
            own(() -> {
                turns.drain(config.shutdownGrace());
                streams.close(CloseOptions.groupMembershipOperation(membership).withTimeout(Duration.ofSeconds(30)));
            });
            Metrics.bind(streams, registry).forEach(this::own);
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    /** The configured cluster, or an in-process broker with a fresh state directory when none is configured. */
    private StreamsSettings kafka(StreamsSettings settings) {
        if (settings.bootstrapServers().isPresent()) {
            return settings;
        }
        EmbeddedKafkaBroker broker = own(EmbeddedKafkaBroker.start(EmbeddedKafkaSettings.defaults()
                .withDefaultPartitions(settings.partitions())));
        log.info("KAFKA_BOOTSTRAP_SERVERS not set: started an in-process Kafka broker at {}",
                broker.bootstrapServers());
        try {
            Path stateDir = Files.createTempDirectory("helpstream-state");
            own(() -> Utils.delete(stateDir.toFile()));
            return settings.forEmbeddedBroker(broker.bootstrapServers(), stateDir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a state directory", e);
        }
    }

    /** Starts helpstream and waits until it processes messages. */
    public static Application start(HelpstreamConfig config) {
        return builder(config).build().start();
    }

    public static Application start(HelpstreamConfig config, MeterRegistry registry) {
        return builder(config).registry(registry).build().start();
    }

    /** Starts helpstream with the given chat model instead of the configured one (tests, benchmarks). */
    public static Application start(HelpstreamConfig config, MeterRegistry registry, ChatModel chatModel) {
        return builder(config).registry(registry).chatModel(chatModel).build().start();
    }

    public static Builder builder(HelpstreamConfig config) {
        return new Builder(config);
    }

    /** What an application is made of besides its configuration; {@link #build()} wires it without starting it. */
    public static final class Builder {
        private final HelpstreamConfig config;
        private MeterRegistry registry;
        private ChatModel chatModel;
        private OpenTelemetry openTelemetry;

        private Builder(HelpstreamConfig config) {
            this.config = Objects.requireNonNull(config, "config");
        }

        /** Where every meter goes (default: a new Prometheus registry). */
        public Builder registry(MeterRegistry meters) {
            this.registry = Objects.requireNonNull(meters, "meters");
            return this;
        }

        /** The chat model instead of the configured one (tests, benchmarks); null: the configured one. */
        public Builder chatModel(ChatModel model) {
            this.chatModel = model;
            return this;
        }

        /** Where spans go, instead of the SDK the {@code OTEL_*} variables configure (tests). */
        public Builder openTelemetry(OpenTelemetry otel) {
            this.openTelemetry = Objects.requireNonNull(otel, "otel");
            return this;
        }

        /**
         * Connects to (or starts) Kafka, PostgreSQL and Redis and wires the topology; nothing is processed before
         * {@link Application#start()}.
         */
        public Application build() {
            return new Application(config, registry != null ? registry : Metrics.prometheus(), chatModel,
                    openTelemetry);
        }
    }

    /**
     * Starts processing and waits until Kafka Streams is RUNNING; closes the application if it does not get there.
     *
     * @throws LocalStateWipedException when a local store could not be opened (a process killed while RocksDB
     *                                  created a store's files leaves them unreadable): the application is closed
     *                                  and its local state deleted, so that an application built again restores it
     *                                  from the changelogs
     */
    public Application start() {
        try {
            try {
                streams.start();
            } catch (ProcessorStateException e) {
                close();
                streams.cleanUp();
                throw new LocalStateWipedException(config.streams().stateDir(), e);
            }
            awaitRunning(Duration.ofMinutes(3));
            log.info("helpstream is running: reading {}, model {}", config.topics().customerMessages().name(),
                    config.model().replyModelName());
            return this;
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    /** Creates the topics that do not exist yet; the dead-letter topic with its configured retention. */
    private void createTopics() {
        String deadLetters = config.topics().deadLetters().name();
        List<TopicSpec> specs = config.streams().topicSpecs(config.topics()).stream()
                .map(spec -> spec.name().equals(deadLetters)
                        ? spec.withConfigs(config.protection().deadLetterTopicConfigs()) : spec)
                .toList();
        short replication = config.streams().replicationFactor();
        String applicationId = config.streams().applicationId();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers()))) {
            TopicCreator creator = new TopicCreator(admin, Duration.ofSeconds(30));
            creator.ensureTopics(specs);
            creator.requireCoPartitioned(config.topics().customerMessages().name(),
                    config.topics().agentActions().name());
            // Created now, with the others: a source topic added to the topology later would need a new group.
            creator.ensureAlongside(config.topics().customerMessages().name(),
                    ControlTopic.of(applicationId).name().orElseThrow(), replication);
            creator.ensureTopics(List.of(TopicSpec.of(ControlTopic.replayLedger(applicationId), 1, replication)
                    .withConfigs(Map.of("cleanup.policy", "compact"))));
        }
    }

    /** The stores are encrypted but dead letters would still hold messages in the clear: worth a line at start. */
    private static void warnOfPlainDeadLetters(DataProtection protection) {
        if (protection.cipher().enabled() && protection.deadLetterPayload() == DeadLetterPayload.KEEP) {
            log.warn("The conversation stores are encrypted, but HELPSTREAM_DEAD_LETTER_PAYLOAD=keep leaves the "
                    + "messages on the dead-letter topic unencrypted; set it to encrypt (or redact) to protect them "
                    + "too");
        }
    }

    private SupportRepository cached(SupportRepository repository) {
        if (config.cache().isEmpty()) {
            return repository;
        }
        CacheSettings settings = config.cache().get();
        if (settings.keySecret().isEmpty()) {
            // Every instance must compute the same keys, or a write on one would not evict what another reads.
            settings = settings.withKeySecret(SharedSecrets.get(database.jdbi(), "cache-keys"));
        }
        cache = own(new RedisLookupCache(settings, registry));
        cache.connectInBackground();
        return new CachingSupportRepository(repository, cache, settings);
    }

    private void awaitRunning(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (streams.state() != KafkaStreams.State.RUNNING) {
            if (streams.state() == KafkaStreams.State.ERROR || streams.state() == KafkaStreams.State.NOT_RUNNING
                    || System.nanoTime() > deadline) {
                throw new IllegalStateException("Kafka Streams did not reach RUNNING (state " + streams.state()
                        + ") within " + timeout);
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while starting", e);
            }
        }
    }

    private <T extends AutoCloseable> T own(T resource) {
        resources.push(resource);
        return resource;
    }

    /** The SDK is closed (its spans flushed) with the application; the no-op needs nothing. */
    private OpenTelemetry owned(OpenTelemetry openTelemetry) {
        if (openTelemetry instanceof AutoCloseable closeable) {
            own(closeable);
        }
        return openTelemetry;
    }

    public String bootstrapServers() {
        return config.streams().bootstrapServers().orElseThrow();
    }

    public HelpstreamConfig config() {
        return config;
    }

    public MeterRegistry registry() {
        return registry;
    }

    public Database database() {
        return database;
    }

    public KafkaStreams.State state() {
        return streams.state();
    }

    /** The Redis cache, unless caching is off. */
    public Optional<RedisLookupCache> cache() {
        return Optional.ofNullable(cache);
    }

    /** The conversations in this instance's stores, read by interactive queries. */
    public ConversationQueries conversations() {
        return new ConversationQueries(streams, config.protection().cipher(), config.conversations().historyWindow());
    }

    /** The Kafka Streams client: its threads, and its stores for interactive queries. */
    public KafkaStreams streams() {
        return streams;
    }

    /**
     * The Kafka Streams metrics of this instance (client, thread, task and processor-node levels), as
     * {@link KafkaStreams#metrics()} gives them: read-only figures for monitoring and benchmarks.
     */
    public Map<MetricName, ? extends Metric> streamsMetrics() {
        return streams.metrics();
    }

    @Override
    public void close() {
        while (!resources.isEmpty()) {
            AutoCloseable resource = resources.pop();
            try {
                resource.close();
            } catch (Exception e) {
                log.warn("Error while stopping {}: {}", resource, e.toString());
            }
        }
    }
}
