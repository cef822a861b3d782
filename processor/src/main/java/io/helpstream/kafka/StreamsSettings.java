package io.helpstream.kafka;

import io.helpstream.contract.Topics;
import io.helpstream.conversation.ConversationExceptionHandler;
import io.helpstream.conversation.UnreadableRecordHandler;
import io.helpstream.protection.DeadLetterPolicy;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.StreamsConfig;

/**
 * How helpstream runs as a Kafka Streams application.
 *
 * @param bootstrapServers   the cluster, or empty to start the in-process broker
 * @param applicationId      consumer group and prefix of internal topics; instances sharing it share the work
 * @param stateDir           where the conversation store keeps its local copy
 * @param streamThreads      stream threads of this instance
 * @param partitions         partitions of the topics helpstream creates (the ceiling on instances × threads)
 * @param replicationFactor  replication of the topics helpstream creates and of its internal topics
 * @param commitInterval     how often the transaction commits; bounds reply latency under exactly-once
 * @param pollInterval       longest wait for records, which also bounds how late a finished turn is applied
 * @param instanceId         a stable id of this instance (static group membership), or empty
 * @param compression        how the producer compresses its batches
 * @param rebalancing        standby replicas and warm-up of tasks moving between instances
 */
public record StreamsSettings(Optional<String> bootstrapServers, String applicationId, Path stateDir,
                              int streamThreads, int partitions, short replicationFactor,
                              Duration commitInterval, Duration pollInterval,
                              Optional<String> instanceId, Compression compression, Rebalancing rebalancing) {

    public static final Compression DEFAULT_COMPRESSION = Compression.LZ4;

    /** A day in milliseconds: how long the verification topic keeps a code (see {@link #topicSpecs}). */
    static final String VERIFICATION_RETENTION_MS = "86400000";

    public StreamsSettings(Optional<String> bootstrapServers, String applicationId, Path stateDir, int streamThreads,
                           int partitions, short replicationFactor, Duration commitInterval,
                           Duration pollInterval) {
        this(bootstrapServers, applicationId, stateDir, streamThreads, partitions, replicationFactor,
                commitInterval, pollInterval, Optional.empty(), DEFAULT_COMPRESSION, Rebalancing.defaults());
    }

    public StreamsSettings {
        Objects.requireNonNull(bootstrapServers, "bootstrapServers");
        Objects.requireNonNull(applicationId, "applicationId");
        Objects.requireNonNull(stateDir, "stateDir");
        if (streamThreads < 1 || partitions < 1 || replicationFactor < 1) {
            throw new IllegalArgumentException("streamThreads, partitions and replicationFactor must be >= 1");
        }
        Objects.requireNonNull(commitInterval, "commitInterval");
        Objects.requireNonNull(pollInterval, "pollInterval");
        Objects.requireNonNull(instanceId, "instanceId");
        Objects.requireNonNull(compression, "compression");
        Objects.requireNonNull(rebalancing, "rebalancing");
    }

    /**
     * The same settings against the in-process broker started for this run: a single node, and local state of its
     * own, since state kept from another cluster would not match this one's changelogs.
     */
    public StreamsSettings forEmbeddedBroker(String servers, Path freshStateDir) {
        return new StreamsSettings(Optional.of(servers), applicationId, freshStateDir, streamThreads, partitions,
                (short) 1, commitInterval, pollInterval, instanceId, compression, rebalancing);
    }

    /** Long enough for three missed heartbeats (3 s apart) and a GC pause; short enough to recover fast. */
    static final int SESSION_TIMEOUT_MS = 10_000;

    /** How long a producer keeps an unwritten topic's partitions: a day. */
    static final long PRODUCER_METADATA_MAX_IDLE_MS = Duration.ofDays(1).toMillis();

    public Properties streamsProperties(String bootstrap, Topics topics) {
        return streamsProperties(bootstrap, topics, DeadLetterPolicy.keep());
    }

    /** The properties, with the dead-letter policy the exception handlers apply to the records they dead-letter. */
    public Properties streamsProperties(String bootstrap, Topics topics, DeadLetterPolicy deadLetters) {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        props.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, streamThreads);
        // Replies, ticket events and state changes commit together; at_least_once could answer a message twice
        // after a crash, so it is not offered.
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, commitInterval.toMillis());
        props.put(StreamsConfig.POLL_MS_CONFIG, pollInterval.toMillis());
        props.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, (int) replicationFactor);
        // Unreadable and invalid records go to the dead-letter topic with the reason in headers, their payload as the
        // policy says; a failed punctuation fails the task so that its transaction aborts (see
        // ConversationExceptionHandler).
        props.put(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG, topics.deadLetters().name());
        props.put(DeadLetterPolicy.CONFIG, deadLetters);
        props.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, UnreadableRecordHandler.class);
        props.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG, ConversationExceptionHandler.class);
        props.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG, true);
        props.put(StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "earliest");
        // A crashed instance never leaves the group: its partitions wait until its session expires. The consumer
        // default (45 s) kept a restarted instance REBALANCING past start-up's one-minute limit after a few crashes.
        props.put(StreamsConfig.consumerPrefix(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG), SESSION_TIMEOUT_MS);
        // Static membership: an instance restarted under the same id takes its partitions back at once, without
        // waiting for its old member's session to time out or for a rebalance.
        instanceId.ifPresent(id -> props.put(
                StreamsConfig.mainConsumerPrefix(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG), id));
        props.put(StreamsConfig.producerPrefix(ProducerConfig.COMPRESSION_TYPE_CONFIG), compression.config());
        // A topic written rarely (dead letters, handoffs, audit) stays in the producer's metadata: forgotten after the
        // default 5 idle minutes, its next write would wait on the stream thread for its partitions again.
        props.put(StreamsConfig.producerPrefix(ProducerConfig.METADATA_MAX_IDLE_CONFIG), PRODUCER_METADATA_MAX_IDLE_MS);
        // Warm copies and warm-up: a task moves to an instance that is (nearly) caught up, so that taking it over
        // costs no long restore while its conversations wait.
        props.put(StreamsConfig.NUM_STANDBY_REPLICAS_CONFIG, rebalancing.standbyReplicas());
        props.put(StreamsConfig.ACCEPTABLE_RECOVERY_LAG_CONFIG, rebalancing.acceptableRecoveryLag());
        props.put(StreamsConfig.MAX_WARMUP_REPLICAS_CONFIG, rebalancing.maxWarmupReplicas());
        props.put(StreamsConfig.PROBING_REBALANCE_INTERVAL_MS_CONFIG,
                rebalancing.probingRebalanceInterval().toMillis());
        return props;
    }

    /**
     * The topics helpstream reads and writes, as they should be created. The verification topic keeps its records a
     * day, the longest a one-time code may live: a code kept longer is only something to steal.
     */
    public List<TopicSpec> topicSpecs(Topics topics) {
        return topics.all().stream().map(name -> {
            TopicSpec spec = TopicSpec.of(name, partitions, replicationFactor);
            return name.equals(topics.verificationRequests().name())
                    ? spec.withConfigs(Map.of("retention.ms", VERIFICATION_RETENTION_MS)) : spec;
        }).toList();
    }
}
