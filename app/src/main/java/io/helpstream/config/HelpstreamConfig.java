package io.helpstream.config;

import io.helpstream.agent.AgentSettings;
import io.helpstream.agent.ModelSettings;
import io.helpstream.agent.openai.ResilienceSettings;
import io.helpstream.contract.Topics;
import io.helpstream.conversation.ConversationSettings;
import io.helpstream.conversation.HandoffSettings;
import io.helpstream.conversation.InboxLimits;
import io.helpstream.conversation.MessageLimits;
import io.helpstream.kafka.Compression;
import io.helpstream.journal.JournalSettings;
import io.helpstream.kafka.Rebalancing;
import io.helpstream.kafka.StreamsSettings;
import io.helpstream.localstack.postgres.DatabaseUrl;
import io.helpstream.protection.DataProtection;
import io.helpstream.protection.DeadLetterPayload;
import io.helpstream.protection.Keysets;
import io.helpstream.protection.ValueCipher;
import io.helpstream.security.Budgets;
import io.helpstream.security.VerificationSettings;
import io.helpstream.tickets.cache.CacheSettings;
import io.helpstream.tickets.postgres.DatabaseSettings;
import io.helpstream.tools.SupportTools;
import io.helpstream.tools.ToolLimits;
import io.helpstream.turn.TurnExecutor;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything helpstream can be told, read once from environment variables and checked before anything starts. The
 * README's configuration table lists the same variables.
 *
 * @param database        configured {@code DATABASE_URL} with user and password applied; empty: look on localhost
 * @param databasePool    pool sizes and timeouts (the URL comes from {@code database} or the locator)
 * @param sampleData      load the seed's customers and tickets (the demo does)
 * @param cache           Redis settings; empty when caching is off
 * @param maxInFlightTurns turns running at once in this instance
 * @param agentName       recorded as the assigned agent on tickets the agent updates
 * @param threadFailures  how many stream thread failures are survived by replacing the thread
 * @param protection      encryption of stored values, what dead letters keep and how long
 * @param http            the operations endpoint (metrics, health, conversation state)
 * @param tracing         the OpenTelemetry SDK's {@code OTEL_*} variables, and whether spans are exported
 * @param logs            the log format and level ({@code logback.xml} applies them; checked here)
 * @param journal         how long the steps of turns are kept in the journal
 * @param shutdownGrace   how long a stopping instance lets its running turns finish and be answered before it hands
 *                        their tasks over
 */
public record HelpstreamConfig(StreamsSettings streams, Topics topics, ConversationSettings conversations,
                               Optional<DatabaseUrl> database, PoolSettings databasePool, boolean sampleData,
                               Optional<CacheSettings> cache, ModelSettings model, AgentSettings agent,
                               int maxInFlightTurns, String agentName, ThreadFailureLimit threadFailures,
                               DataProtection protection, HttpSettings http, TracingSettings tracing,
                               LogSettings logs, JournalSettings journal, Duration shutdownGrace) {

    /** Connection pool sizes and the timeouts of every connection (see {@link DatabaseSettings}). */
    public record PoolSettings(int minIdle, int maxSize, Duration connectionTimeout, Duration connectTimeout,
                               Duration socketTimeout, Duration statementTimeout, Duration lockTimeout) {
    }

    /**
     * A failed stream thread is replaced unless {@code maxFailures} failed within {@code window}; then the instance
     * shuts down.
     */
    public record ThreadFailureLimit(int maxFailures, Duration window) {
        public static final int DEFAULT_MAX_FAILURES = 5;
        public static final Duration DEFAULT_WINDOW = Duration.ofMinutes(10);
    }

    /** Longest turn deadline accepted: a turn stuck for longer only holds its conversation up. */
    static final Duration MAX_TURN_TIMEOUT = Duration.ofHours(1);
    static final Duration MAX_HANDOFF_TIMEOUT = Duration.ofDays(7);
    /**
     * Longest expiry step accepted: a step holds the stream thread, and one of more than 10 s would outlast the
     * exactly-once transaction timeout.
     */
    static final Duration MAX_EXPIRY_STEP_TIME = Duration.ofSeconds(1);
    /** Message ids are kept in a window store whose changelog keeps them this long too: a bound on its size. */
    static final Duration MAX_DEDUP_RETENTION = Duration.ofDays(365);
    /** Kafka's retention.ms is a long of milliseconds; ten years is past any reason to keep a dead letter. */
    static final Duration MAX_DEAD_LETTER_RETENTION = Duration.ofDays(3650);
    /** A readiness probe that waits longer than this is no longer telling the orchestrator anything. */
    static final Duration MAX_HEALTH_TIMEOUT = Duration.ofMinutes(1);
    static final Duration MAX_FORWARD_TIMEOUT = Duration.ofMinutes(5);
    /** A one-time code valid for longer than a day is a password, not a proof of who reads the mailbox now. */
    static final Duration MAX_CODE_LIFETIME = Duration.ofDays(1);
    /** Steps of turns are for reruns and a short audit, not an archive. */
    static final Duration MAX_JOURNAL_AGE = Duration.ofDays(30);
    /** Within the time a supervisor (Kubernetes: 30 s) waits after SIGTERM, with room to close the stream threads. */
    public static final Duration DEFAULT_SHUTDOWN_GRACE = Duration.ofSeconds(20);
    static final Duration MAX_SHUTDOWN_GRACE = Duration.ofMinutes(10);

    public HelpstreamConfig {
        Objects.requireNonNull(streams, "streams");
        Objects.requireNonNull(topics, "topics");
        Objects.requireNonNull(conversations, "conversations");
        Objects.requireNonNull(database, "database");
        Objects.requireNonNull(databasePool, "databasePool");
        Objects.requireNonNull(cache, "cache");
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(agent, "agent");
        Objects.requireNonNull(agentName, "agentName");
        Objects.requireNonNull(threadFailures, "threadFailures");
        Objects.requireNonNull(protection, "protection");
        Objects.requireNonNull(http, "http");
        Objects.requireNonNull(tracing, "tracing");
        Objects.requireNonNull(logs, "logs");
        Objects.requireNonNull(journal, "journal");
        Objects.requireNonNull(shutdownGrace, "shutdownGrace");
    }

    public static HelpstreamConfig fromEnvironment(Env env) {
        refuseWeakerGuarantee(env);
        Topics topics = Topics.named(
                env.string("HELPSTREAM_TOPIC_CUSTOMER_MESSAGES", Topics.DEFAULT_CUSTOMER_MESSAGES),
                env.string("HELPSTREAM_TOPIC_AGENT_REPLIES", Topics.DEFAULT_AGENT_REPLIES),
                env.string("HELPSTREAM_TOPIC_TICKET_EVENTS", Topics.DEFAULT_TICKET_EVENTS),
                env.string("HELPSTREAM_TOPIC_CONVERSATION_EVENTS", Topics.DEFAULT_CONVERSATION_EVENTS),
                env.string("HELPSTREAM_TOPIC_DEAD_LETTERS", Topics.DEFAULT_DEAD_LETTERS),
                env.string("HELPSTREAM_TOPIC_VERIFICATION_REQUESTS", Topics.DEFAULT_VERIFICATION_REQUESTS),
                env.string("HELPSTREAM_TOPIC_AUDIT", Topics.DEFAULT_AUDIT),
                env.string("HELPSTREAM_TOPIC_HANDOFFS", Topics.DEFAULT_HANDOFFS),
                env.string("HELPSTREAM_TOPIC_AGENT_ACTIONS", Topics.DEFAULT_AGENT_ACTIONS));
        Optional<String> instanceId = env.string("HELPSTREAM_INSTANCE_ID");
        StreamsSettings streams = new StreamsSettings(
                env.string("KAFKA_BOOTSTRAP_SERVERS"),
                env.string("HELPSTREAM_APPLICATION_ID", "helpstream"),
                Path.of(env.string("HELPSTREAM_STATE_DIR", "data/state")),
                env.integer("HELPSTREAM_STREAM_THREADS", 1, 1, 64),
                env.integer("HELPSTREAM_PARTITIONS", 4, 1, 10_000),
                (short) env.integer("KAFKA_REPLICATION_FACTOR", 1, 1, 16),
                env.duration("HELPSTREAM_COMMIT_INTERVAL", Duration.ofMillis(100), Duration.ofMillis(10)),
                env.duration("HELPSTREAM_POLL_INTERVAL", Duration.ofMillis(20), Duration.ofMillis(1)),
                instanceId,
                env.choice("HELPSTREAM_COMPRESSION", Compression.class, StreamsSettings.DEFAULT_COMPRESSION),
                new Rebalancing(
                        env.integer("HELPSTREAM_STANDBY_REPLICAS", Rebalancing.DEFAULT_STANDBY_REPLICAS, 0, 10),
                        env.integer("HELPSTREAM_ACCEPTABLE_RECOVERY_LAG",
                                (int) Rebalancing.DEFAULT_ACCEPTABLE_RECOVERY_LAG, 0, Integer.MAX_VALUE),
                        env.integer("HELPSTREAM_MAX_WARMUP_REPLICAS", Rebalancing.DEFAULT_MAX_WARMUP_REPLICAS, 1,
                                1000),
                        env.duration("HELPSTREAM_PROBING_REBALANCE_INTERVAL",
                                Rebalancing.DEFAULT_PROBING_REBALANCE_INTERVAL,
                                Rebalancing.MIN_PROBING_REBALANCE_INTERVAL),
                        // A static member comes back under its id (a restart), unless told it is leaving for good.
                        env.bool("HELPSTREAM_LEAVE_GROUP_ON_SHUTDOWN", instanceId.isEmpty())));
        ConversationSettings defaults = ConversationSettings.defaults();
        Duration idleTimeout = env.duration("HELPSTREAM_IDLE_TIMEOUT", defaults.idleTimeout(), Duration.ofSeconds(1));
        if (env.string("HELPSTREAM_DEDUP_WINDOW").isPresent()) {
            throw new ConfigException("HELPSTREAM_DEDUP_WINDOW", "is no longer read: message ids are remembered for a "
                    + "time, not a count; set HELPSTREAM_DEDUP_RETENTION instead");
        }
        MessageLimits messageLimits = messageLimits(env);
        Budgets budgets = budgets(env);
        VerificationSettings verification = verification(env);
        ConversationSettings conversations = new ConversationSettings(
                env.integer("HELPSTREAM_HISTORY_WINDOW", defaults.historyWindow(), 1, 1000),
                atMost("HELPSTREAM_DEDUP_RETENTION", env.duration("HELPSTREAM_DEDUP_RETENTION",
                        defaults.dedupRetention(), Duration.ofMinutes(1)), MAX_DEDUP_RETENTION),
                messageLimits,
                inboxLimits(env, messageLimits),
                idleTimeout,
                env.duration("HELPSTREAM_EXPIRY_SCAN_INTERVAL", min(defaults.expiryScanInterval(), idleTimeout),
                        Duration.ofMillis(100)),
                env.integer("HELPSTREAM_EXPIRY_BATCH", defaults.expiryBatch(), 1, 100_000),
                atMost("HELPSTREAM_EXPIRY_STEP_TIME", env.duration("HELPSTREAM_EXPIRY_STEP_TIME",
                        defaults.expiryStepTime(), Duration.ofMillis(1)), MAX_EXPIRY_STEP_TIME),
                env.duration("HELPSTREAM_APPLY_INTERVAL", defaults.applyInterval(), Duration.ofMillis(1)),
                env.integer("HELPSTREAM_MAX_TURN_ATTEMPTS", defaults.maxTurnAttempts(), 1, 100),
                env.duration("HELPSTREAM_TURN_RETRY_BACKOFF", defaults.retryBackoff(), Duration.ofMillis(1)),
                atMost("HELPSTREAM_TURN_TIMEOUT", env.duration("HELPSTREAM_TURN_TIMEOUT", defaults.turnTimeout(),
                        Duration.ofSeconds(1)), MAX_TURN_TIMEOUT),
                env.integer("HELPSTREAM_MAX_RECORD_BYTES", defaults.maxRecordBytes(),
                        ConversationSettings.MIN_MAX_RECORD_BYTES, ConversationSettings.DEFAULT_MAX_RECORD_BYTES),
                budgets, verification, handoff(env));
        ThreadFailureLimit threadFailures = new ThreadFailureLimit(
                env.integer("HELPSTREAM_MAX_THREAD_FAILURES", ThreadFailureLimit.DEFAULT_MAX_FAILURES, 1, 1000),
                env.duration("HELPSTREAM_THREAD_FAILURE_WINDOW", ThreadFailureLimit.DEFAULT_WINDOW,
                        Duration.ofSeconds(1)));

        Optional<DatabaseUrl> database = env.string("DATABASE_URL").map(raw -> {
            try {
                return DatabaseUrl.parse(raw);
            } catch (IllegalArgumentException e) {
                throw new ConfigException("DATABASE_URL", e.getMessage());
            }
        }).map(url -> url.withCredentials(env.string("DATABASE_USER").orElse(null),
                env.string("DATABASE_PASSWORD").orElse(null)));
        int maxPool = env.integer("DATABASE_POOL_MAX_SIZE", DatabaseSettings.DEFAULT_MAX_POOL_SIZE, 1, 1000);
        Duration statementTimeout = env.duration("DATABASE_STATEMENT_TIMEOUT",
                DatabaseSettings.DEFAULT_STATEMENT_TIMEOUT, DatabaseSettings.MIN_SERVER_TIMEOUT);
        Duration socketTimeout = env.duration("DATABASE_SOCKET_TIMEOUT", DatabaseSettings.DEFAULT_SOCKET_TIMEOUT,
                DatabaseSettings.MIN_NETWORK_TIMEOUT);
        if (socketTimeout.compareTo(statementTimeout) <= 0) {
            throw new ConfigException("DATABASE_SOCKET_TIMEOUT", socketTimeout + " must be longer than "
                    + "DATABASE_STATEMENT_TIMEOUT " + statementTimeout);
        }
        PoolSettings pool = new PoolSettings(
                env.integer("DATABASE_POOL_MIN_IDLE", DatabaseSettings.DEFAULT_MIN_IDLE, 0, maxPool), maxPool,
                env.duration("DATABASE_CONNECTION_TIMEOUT", DatabaseSettings.DEFAULT_CONNECTION_TIMEOUT,
                        DatabaseSettings.MIN_CONNECTION_TIMEOUT),
                env.duration("DATABASE_CONNECT_TIMEOUT", DatabaseSettings.DEFAULT_CONNECT_TIMEOUT,
                        DatabaseSettings.MIN_NETWORK_TIMEOUT),
                socketTimeout, statementTimeout,
                env.duration("DATABASE_LOCK_TIMEOUT", DatabaseSettings.DEFAULT_LOCK_TIMEOUT,
                        DatabaseSettings.MIN_SERVER_TIMEOUT));

        Optional<CacheSettings> cache = env.bool("HELPSTREAM_CACHE_ENABLED", true)
                ? Optional.of(cacheSettings(env)) : Optional.empty();

        String systemPrompt = env.fileContent("HELPSTREAM_SYSTEM_PROMPT_FILE").orElse(null);
        ToolLimits toolLimits = new ToolLimits(
                env.integer("HELPSTREAM_MAX_TOOL_CALLS_PER_TURN", ToolLimits.DEFAULT_MAX_TOOL_CALLS_PER_TURN, 1,
                        200),
                env.integer("HELPSTREAM_MAX_WRITES_PER_TURN", ToolLimits.DEFAULT_MAX_WRITES_PER_TURN, 0, 100),
                env.integer("HELPSTREAM_MAX_CONTEXT_ENTRIES", ToolLimits.DEFAULT_MAX_CONTEXT_ENTRIES, 0, 1_000),
                env.integer("HELPSTREAM_MAX_CONTEXT_VALUE_BYTES", ToolLimits.DEFAULT_MAX_CONTEXT_VALUE_BYTES, 1,
                        10_000));
        AgentSettings agent = new AgentSettings(env.integer("HELPSTREAM_MAX_TOOL_ROUND_TRIPS",
                AgentSettings.DEFAULT_MAX_TOOL_ROUND_TRIPS, 1, 50), systemPrompt, toolLimits, budgets, verification,
                conversations.handoff().tool());

        return new HelpstreamConfig(streams, topics, conversations, database, pool,
                env.bool("HELPSTREAM_SAMPLE_DATA", false), cache, modelSettings(env), agent,
                env.integer("HELPSTREAM_MAX_IN_FLIGHT_TURNS", TurnExecutor.DEFAULT_MAX_IN_FLIGHT, 1, 10_000),
                env.string("HELPSTREAM_AGENT_NAME", SupportTools.DEFAULT_AGENT_NAME), threadFailures,
                protection(env), http(env), TracingSettings.fromEnvironment(env),
                LogSettings.fromEnvironment(env), journalSettings(env),
                atMost("HELPSTREAM_SHUTDOWN_GRACE", env.duration("HELPSTREAM_SHUTDOWN_GRACE",
                        DEFAULT_SHUTDOWN_GRACE, Duration.ZERO), MAX_SHUTDOWN_GRACE));
    }

    private static JournalSettings journalSettings(Env env) {
        Duration retention = atMost("HELPSTREAM_JOURNAL_RETENTION", env.duration("HELPSTREAM_JOURNAL_RETENTION",
                JournalSettings.DEFAULT_RETENTION, JournalSettings.MIN_RETENTION), MAX_JOURNAL_AGE);
        Duration maxAge = atMost("HELPSTREAM_JOURNAL_MAX_AGE", env.duration("HELPSTREAM_JOURNAL_MAX_AGE",
                max(JournalSettings.DEFAULT_MAX_AGE, retention), JournalSettings.MIN_RETENTION), MAX_JOURNAL_AGE);
        if (maxAge.compareTo(retention) < 0) {
            throw new ConfigException("HELPSTREAM_JOURNAL_MAX_AGE", maxAge + " is shorter than "
                    + "HELPSTREAM_JOURNAL_RETENTION " + retention);
        }
        return new JournalSettings(retention, maxAge);
    }

    /** The same configuration with the sample customers, tickets and FAQ loaded (as the demo does). */
    public HelpstreamConfig withSampleData() {
        return new HelpstreamConfig(streams, topics, conversations, database, databasePool, true, cache, model, agent,
                maxInFlightTurns, agentName, threadFailures, protection, http, tracing, logs, journal, shutdownGrace);
    }

    /** The same configuration against another Kafka cluster. */
    public HelpstreamConfig withStreams(StreamsSettings otherStreams) {
        return new HelpstreamConfig(otherStreams, topics, conversations, database, databasePool, sampleData, cache,
                model, agent, maxInFlightTurns, agentName, threadFailures, protection, http, tracing, logs,
                journal, shutdownGrace);
    }

    /** The same configuration with another operations endpoint. */
    public HelpstreamConfig withHttp(HttpSettings otherHttp) {
        return new HelpstreamConfig(streams, topics, conversations, database, databasePool, sampleData, cache,
                model, agent, maxInFlightTurns, agentName, threadFailures, protection, otherHttp, tracing,
                logs, journal, shutdownGrace);
    }

    /**
     * The operations endpoint: port ({@code 0} switches it off), bind address, the URL other instances reach this one
     * at, the admin token of the conversation endpoint, and the timeouts of its checks and forwarded requests.
     */
    private static HttpSettings http(Env env) {
        int port = env.integer("HELPSTREAM_HTTP_PORT", HttpSettings.DEFAULT_PORT, 0, 65_535);
        String bind = env.string("HELPSTREAM_HTTP_BIND", HttpSettings.DEFAULT_BIND);
        try {
            java.net.InetAddress.getByName(bind);
        } catch (java.net.UnknownHostException e) {
            throw new ConfigException("HELPSTREAM_HTTP_BIND", "'" + bind + "' is not an address of this machine");
        }
        Optional<URI> advertised = env.uri("HELPSTREAM_ADVERTISED_URL", "http", "https");
        if (advertised.isPresent() && port == 0) {
            throw new ConfigException("HELPSTREAM_ADVERTISED_URL", "is set, but HELPSTREAM_HTTP_PORT=0 switches the "
                    + "endpoint off: the other instances could not reach this one");
        }
        Optional<AdminToken> token = env.string("HELPSTREAM_ADMIN_TOKEN").map(value -> {
            try {
                return new AdminToken(value);
            } catch (IllegalArgumentException e) {
                throw new ConfigException("HELPSTREAM_ADMIN_TOKEN", e.getMessage());
            }
        });
        return new HttpSettings(port == 0 ? Optional.empty() : Optional.of(port), bind, advertised, token,
                atMost("HELPSTREAM_HEALTH_TIMEOUT", env.duration("HELPSTREAM_HEALTH_TIMEOUT",
                        HttpSettings.DEFAULT_CHECK_TIMEOUT, Duration.ofMillis(100)), MAX_HEALTH_TIMEOUT),
                atMost("HELPSTREAM_HTTP_FORWARD_TIMEOUT", env.duration("HELPSTREAM_HTTP_FORWARD_TIMEOUT",
                        HttpSettings.DEFAULT_FORWARD_TIMEOUT, Duration.ofMillis(100)), MAX_FORWARD_TIMEOUT),
                PageSettings.fromEnvironment(env));
    }

    /**
     * The keyset from {@code HELPSTREAM_ENCRYPTION_KEYSET} (Tink JSON, or the binary format in base64) or the file
     * {@code HELPSTREAM_ENCRYPTION_KEYSET_FILE} names; the dead-letter policy and retention.
     */
    private static DataProtection protection(Env env) {
        Optional<String> inline = env.string("HELPSTREAM_ENCRYPTION_KEYSET");
        if (inline.isPresent() && env.string("HELPSTREAM_ENCRYPTION_KEYSET_FILE").isPresent()) {
            throw new ConfigException("HELPSTREAM_ENCRYPTION_KEYSET", "and HELPSTREAM_ENCRYPTION_KEYSET_FILE are both "
                    + "set; give the keyset one way");
        }
        String variable = inline.isPresent() ? "HELPSTREAM_ENCRYPTION_KEYSET" : "HELPSTREAM_ENCRYPTION_KEYSET_FILE";
        ValueCipher cipher = inline.or(() -> env.fileContent("HELPSTREAM_ENCRYPTION_KEYSET_FILE"))
                .map(keyset -> {
                    try {
                        return ValueCipher.of(Keysets.aead(keyset));
                    } catch (IllegalArgumentException e) {
                        throw new ConfigException(variable, e.getMessage());
                    }
                })
                .orElse(ValueCipher.none());
        DeadLetterPayload payload = env.choice("HELPSTREAM_DEAD_LETTER_PAYLOAD", DeadLetterPayload.class,
                DataProtection.DEFAULT_DEAD_LETTER_PAYLOAD);
        if (payload == DeadLetterPayload.ENCRYPT && !cipher.enabled()) {
            throw new ConfigException("HELPSTREAM_DEAD_LETTER_PAYLOAD", "encrypt needs a keyset: set "
                    + "HELPSTREAM_ENCRYPTION_KEYSET or HELPSTREAM_ENCRYPTION_KEYSET_FILE");
        }
        return new DataProtection(cipher, payload, atMost("HELPSTREAM_DEAD_LETTER_RETENTION",
                env.duration("HELPSTREAM_DEAD_LETTER_RETENTION", DataProtection.DEFAULT_DEAD_LETTER_RETENTION,
                        Duration.ofHours(1)), MAX_DEAD_LETTER_RETENTION));
    }

    private static Budgets budgets(Env env) {
        return new Budgets(
                env.integer("HELPSTREAM_MAX_MODEL_CALLS_PER_MESSAGE", Budgets.DEFAULT_MAX_MODEL_CALLS_PER_MESSAGE, 1,
                        51),
                env.integer("HELPSTREAM_MAX_TOKENS_PER_CONVERSATION",
                        (int) Budgets.DEFAULT_MAX_TOKENS_PER_CONVERSATION, 1_000, 1_000_000_000),
                env.integer("HELPSTREAM_MAX_TOKENS_PER_CUSTOMER_PER_DAY",
                        (int) Budgets.DEFAULT_MAX_TOKENS_PER_CUSTOMER_PER_DAY, 1_000, 1_000_000_000),
                env.integer("HELPSTREAM_MAX_MESSAGES_PER_MINUTE", Budgets.DEFAULT_MAX_MESSAGES_PER_MINUTE, 1,
                        10_000));
    }

    /** When conversations are handed off to a human, and what a handoff nobody accepted in time does. */
    private static HandoffSettings handoff(Env env) {
        HandoffSettings defaults = HandoffSettings.defaults();
        return new HandoffSettings(
                env.bool("HELPSTREAM_HANDOFF_TOOL", defaults.tool()),
                env.bool("HELPSTREAM_HANDOFF_ON_CUSTOMER_REQUEST", defaults.onCustomerRequest()),
                env.integer("HELPSTREAM_HANDOFF_AFTER_FAILED_TURNS", defaults.afterFailedTurns(), 0, 100),
                env.bool("HELPSTREAM_HANDOFF_ON_BUDGET_REFUSAL", defaults.onBudgetRefusal()),
                env.bool("HELPSTREAM_HANDOFF_ON_VERIFICATION_FAILURE", defaults.onVerificationFailure()),
                atMost("HELPSTREAM_HANDOFF_TIMEOUT", env.duration("HELPSTREAM_HANDOFF_TIMEOUT", defaults.timeout(),
                        Duration.ofSeconds(1)), MAX_HANDOFF_TIMEOUT),
                env.choice("HELPSTREAM_HANDOFF_TIMEOUT_POLICY", HandoffSettings.TimeoutPolicy.class,
                        defaults.timeoutPolicy()),
                env.bool("HELPSTREAM_HANDOFF_ANNOUNCE_ACCEPT", defaults.announceAccept()));
    }

    private static VerificationSettings verification(Env env) {
        return new VerificationSettings(
                env.integer("HELPSTREAM_VERIFICATION_MAX_ATTEMPTS", VerificationSettings.DEFAULT_MAX_ATTEMPTS, 1, 20),
                atMost("HELPSTREAM_VERIFICATION_CODE_LIFETIME", env.duration("HELPSTREAM_VERIFICATION_CODE_LIFETIME",
                        VerificationSettings.DEFAULT_CODE_LIFETIME, Duration.ofMinutes(1)), MAX_CODE_LIFETIME));
    }

    private static MessageLimits messageLimits(Env env) {
        if (env.string("HELPSTREAM_MAX_MESSAGE_CHARS").isPresent()) {
            throw new ConfigException("HELPSTREAM_MAX_MESSAGE_CHARS", "is no longer read: message sizes are limited in "
                    + "bytes, set HELPSTREAM_MAX_MESSAGE_BYTES instead");
        }
        return new MessageLimits(
                env.integer("HELPSTREAM_MAX_MESSAGE_BYTES", MessageLimits.DEFAULT_MAX_TEXT_BYTES, 1, 900_000),
                env.integer("HELPSTREAM_MAX_CHANNEL_BYTES", MessageLimits.DEFAULT_MAX_CHANNEL_BYTES, 1, 1_000),
                env.integer("HELPSTREAM_MAX_METADATA_ENTRIES", MessageLimits.DEFAULT_MAX_METADATA_ENTRIES, 0, 1_000),
                env.integer("HELPSTREAM_MAX_METADATA_BYTES", MessageLimits.DEFAULT_MAX_METADATA_BYTES, 0, 100_000));
    }

    private static InboxLimits inboxLimits(Env env, MessageLimits messageLimits) {
        // Unset, it grows with the largest message, so that raising that alone still lets messages wait.
        int fallback = (int) Math.max(InboxLimits.DEFAULT_MAX_PENDING_BYTES, 2L * messageLimits.maxTextBytes());
        long maxBytes = env.integer("HELPSTREAM_MAX_PENDING_BYTES", fallback, 1_024, 100_000_000);
        if (maxBytes < 2L * messageLimits.maxTextBytes()) {
            throw new ConfigException("HELPSTREAM_MAX_PENDING_BYTES", maxBytes + " must be at least twice "
                    + "HELPSTREAM_MAX_MESSAGE_BYTES (" + messageLimits.maxTextBytes() + "), so that a message of the "
                    + "largest size can wait while another is answered");
        }
        return new InboxLimits(
                env.integer("HELPSTREAM_MAX_PENDING_MESSAGES", InboxLimits.DEFAULT_MAX_PENDING_MESSAGES, 1, 10_000),
                maxBytes,
                env.integer("HELPSTREAM_MAX_MESSAGES_PER_TURN", InboxLimits.DEFAULT_MAX_MESSAGES_PER_TURN, 1, 100));
    }

    /** Only exactly_once_v2 is run; a deployment that still sets the old variable learns why instead of nothing. */
    private static void refuseWeakerGuarantee(Env env) {
        env.string("HELPSTREAM_PROCESSING_GUARANTEE")
                .filter(value -> !value.equalsIgnoreCase("exactly_once_v2"))
                .ifPresent(value -> {
                    throw new ConfigException("HELPSTREAM_PROCESSING_GUARANTEE", "'" + value + "' is not supported: "
                            + "helpstream always runs exactly_once_v2, since at_least_once could answer a message "
                            + "twice after a crash");
                });
    }

    private static CacheSettings cacheSettings(Env env) {
        String url = env.uri("REDIS_URL", "redis", "rediss").map(Object::toString).orElse("redis://127.0.0.1:6379");
        CacheSettings defaults = CacheSettings.builder(url).build();
        Optional<String> secret = env.string("HELPSTREAM_CACHE_KEY_SECRET");
        if (secret.isPresent() && secret.get().length() < CacheSettings.MIN_KEY_SECRET_LENGTH) {
            throw new ConfigException("HELPSTREAM_CACHE_KEY_SECRET", "has " + secret.get().length()
                    + " characters; use at least " + CacheSettings.MIN_KEY_SECRET_LENGTH + " random ones");
        }
        try {
            CacheSettings.Builder builder = CacheSettings.builder(url);
            secret.ifPresent(builder::keySecret);
            return builder
                    .keyPrefix(env.string("HELPSTREAM_CACHE_PREFIX", defaults.keyPrefix()))
                    .customerTtl(env.duration("HELPSTREAM_CACHE_CUSTOMER_TTL", defaults.customerTtl(),
                            Duration.ofSeconds(1)))
                    .faqTtl(env.duration("HELPSTREAM_CACHE_FAQ_TTL", defaults.faqTtl(), Duration.ofSeconds(1)))
                    .commandTimeout(env.duration("REDIS_TIMEOUT", defaults.commandTimeout(), Duration.ofMillis(10)))
                    .build();
        } catch (IllegalArgumentException e) {
            throw new ConfigException("REDIS_URL", e.getMessage());
        }
    }

    private static ModelSettings modelSettings(Env env) {
        Optional<String> apiKey = env.string("OPENAI_API_KEY");
        ModelSettings.Kind kind = env.choice("HELPSTREAM_MODEL", ModelSettings.Kind.class,
                apiKey.isPresent() ? ModelSettings.Kind.OPENAI : ModelSettings.Kind.OFFLINE);
        if (kind == ModelSettings.Kind.OPENAI && apiKey.isEmpty()) {
            throw new ConfigException("OPENAI_API_KEY", "is required when HELPSTREAM_MODEL=openai (for a local "
                    + "server that needs no key, set any value)");
        }
        Optional<URI> baseUrl = env.uri("OPENAI_BASE_URL", "http", "https");
        boolean allowPlainHttp = env.bool("OPENAI_ALLOW_PLAIN_HTTP", false);
        if (baseUrl.isPresent() && baseUrl.get().getScheme().equalsIgnoreCase("http")
                && !loopback(baseUrl.get().getHost()) && !allowPlainHttp) {
            throw new ConfigException("OPENAI_BASE_URL", "would send OPENAI_API_KEY and the customers' messages "
                    + "unencrypted to " + baseUrl.get().getHost() + ": use https, or plain http only to this machine "
                    + "(localhost, 127.0.0.1, ::1), or set OPENAI_ALLOW_PLAIN_HTTP=true for a private network you "
                    + "trust");
        }
        return new ModelSettings(kind, apiKey,
                baseUrl.map(Object::toString),
                env.string("OPENAI_MODEL", ModelSettings.DEFAULT_MODEL_NAME),
                env.decimal("OPENAI_TEMPERATURE", ModelSettings.DEFAULT_TEMPERATURE, 0.0, 2.0),
                env.duration("OPENAI_TIMEOUT", ModelSettings.DEFAULT_TIMEOUT, Duration.ofMillis(100)),
                resilienceSettings(env),
                env.integer("OPENAI_MAX_TOKENS", ModelSettings.DEFAULT_MAX_OUTPUT_TOKENS, 1, 100_000));
    }

    /** A name or address of this machine: plain http to it never crosses a network. */
    private static boolean loopback(String host) {
        String bare = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        if (bare.equalsIgnoreCase("localhost")) {
            return true;
        }
        boolean literal = bare.contains(":") || bare.matches("[0-9.]+");
        try {
            return literal && java.net.InetAddress.getByName(bare).isLoopbackAddress();
        } catch (java.net.UnknownHostException e) {
            return false;
        }
    }

    private static ResilienceSettings resilienceSettings(Env env) {
        ResilienceSettings defaults = ResilienceSettings.defaults();
        Duration initialBackoff = env.duration("OPENAI_RETRY_INITIAL_BACKOFF", defaults.initialBackoff(),
                Duration.ofMillis(1));
        Duration maxBackoff = env.duration("OPENAI_RETRY_MAX_BACKOFF", max(defaults.maxBackoff(), initialBackoff),
                Duration.ofMillis(1));
        if (maxBackoff.compareTo(initialBackoff) < 0) {
            throw new ConfigException("OPENAI_RETRY_MAX_BACKOFF", maxBackoff + " is shorter than "
                    + "OPENAI_RETRY_INITIAL_BACKOFF " + initialBackoff);
        }
        return ResilienceSettings.builder()
                .maxRetries(env.integer("OPENAI_MAX_RETRIES", defaults.maxRetries(), 0, 20))
                .initialBackoff(initialBackoff)
                .maxBackoff(maxBackoff)
                .maxConcurrentCalls(env.integer("OPENAI_MAX_CONCURRENT_CALLS", defaults.maxConcurrentCalls(), 1,
                        10_000))
                .requestsPerMinute(env.integer("OPENAI_REQUESTS_PER_MINUTE", defaults.requestsPerMinute(), 0,
                        1_000_000))
                .permitWait(env.duration("OPENAI_PERMIT_WAIT", defaults.permitWait(), Duration.ZERO))
                .breakerFailureRate(env.integer("OPENAI_BREAKER_FAILURE_RATE", defaults.breakerFailureRate(), 1,
                        100))
                .breakerWindow(env.integer("OPENAI_BREAKER_WINDOW", defaults.breakerWindow(), 1, 10_000))
                .breakerOpenDuration(env.duration("OPENAI_BREAKER_OPEN_DURATION", defaults.breakerOpenDuration(),
                        Duration.ofMillis(1)))
                .build();
    }

    private static Duration atMost(String name, Duration value, Duration max) {
        if (value.compareTo(max) > 0) {
            throw new ConfigException(name, value + " is longer than the maximum " + max);
        }
        return value;
    }

    private static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }
}
