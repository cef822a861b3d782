package io.helpstream.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.helpstream.agent.ModelSettings;
import io.helpstream.contract.Topics;
import io.helpstream.conversation.InboxLimits;
import io.helpstream.conversation.MessageLimits;
import io.helpstream.kafka.Compression;
import io.helpstream.protection.DeadLetterPayload;
import io.helpstream.protection.TestKeysets;
import io.helpstream.journal.JournalSettings;
import io.helpstream.tools.ToolLimits;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class HelpstreamConfigTest {

    static HelpstreamConfig read(String... pairs) {
        Map<String, String> env = new HashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            env.put(pairs[i], pairs[i + 1]);
        }
        return HelpstreamConfig.fromEnvironment(new Env(env));
    }

    @Test
    void should_default_to_the_offline_model_embedded_kafka_and_exactly_once() {
        HelpstreamConfig config = read();

        assertThat(config.model().kind()).isEqualTo(ModelSettings.Kind.OFFLINE);
        assertThat(config.streams().bootstrapServers()).isEmpty();
        assertThat(config.streams().streamsProperties("k:9092", config.topics()))
                .containsEntry("processing.guarantee", "exactly_once_v2");
        assertThat(config.topics().customerMessages().name()).isEqualTo("support.customer-messages");
        assertThat(config.conversations().idleTimeout()).isEqualTo(Duration.ofMinutes(30));
        assertThat(config.cache()).isPresent();
        assertThat(config.database()).isEmpty();
        assertThat(config.sampleData()).isFalse();
    }

    @Test
    void should_read_the_longest_model_response_at_its_bounds() {
        assertThat(read().model().maxOutputTokens()).isEqualTo(ModelSettings.DEFAULT_MAX_OUTPUT_TOKENS);
        assertThat(read("OPENAI_MAX_TOKENS", "1").model().maxOutputTokens()).isEqualTo(1);
        assertThat(read("OPENAI_MAX_TOKENS", "100000").model().maxOutputTokens()).isEqualTo(100_000);
    }

    @Test
    void should_read_the_tool_limits_at_their_bounds() {
        assertThat(read().agent().toolLimits()).isEqualTo(ToolLimits.defaults());
        assertThat(read("HELPSTREAM_MAX_TOOL_CALLS_PER_TURN", "1", "HELPSTREAM_MAX_WRITES_PER_TURN", "0",
                "HELPSTREAM_MAX_CONTEXT_ENTRIES", "1000", "HELPSTREAM_MAX_CONTEXT_VALUE_BYTES", "10000")
                .agent().toolLimits()).isEqualTo(new ToolLimits(1, 0, 1000, 10_000));
        assertThat(read("HELPSTREAM_MAX_TOOL_CALLS_PER_TURN", "200").agent().toolLimits().maxToolCallsPerTurn())
                .isEqualTo(200);
    }

    @Test
    void should_read_the_budgets_and_the_verification_at_their_bounds_and_give_both_to_agent_and_conversations() {
        HelpstreamConfig defaults = read();
        assertThat(defaults.agent().budgets()).isEqualTo(io.helpstream.security.Budgets.defaults())
                .isEqualTo(defaults.conversations().budgets());
        assertThat(defaults.agent().verification()).isEqualTo(io.helpstream.security.VerificationSettings.defaults())
                .isEqualTo(defaults.conversations().verification());
        HelpstreamConfig low = read("HELPSTREAM_MAX_MODEL_CALLS_PER_MESSAGE", "1",
                "HELPSTREAM_MAX_TOKENS_PER_CONVERSATION", "1000", "HELPSTREAM_MAX_TOKENS_PER_CUSTOMER_PER_DAY", "1000",
                "HELPSTREAM_MAX_MESSAGES_PER_MINUTE", "1", "HELPSTREAM_VERIFICATION_MAX_ATTEMPTS", "1",
                "HELPSTREAM_VERIFICATION_CODE_LIFETIME", "1m");
        assertThat(low.conversations().budgets()).isEqualTo(new io.helpstream.security.Budgets(1, 1_000, 1_000, 1));
        assertThat(low.agent().maxModelCalls()).isEqualTo(1);
        assertThat(low.conversations().verification())
                .isEqualTo(new io.helpstream.security.VerificationSettings(1, Duration.ofMinutes(1)));
        HelpstreamConfig high = read("HELPSTREAM_MAX_MODEL_CALLS_PER_MESSAGE", "51",
                "HELPSTREAM_MAX_TOKENS_PER_CONVERSATION", "1000000000",
                "HELPSTREAM_MAX_TOKENS_PER_CUSTOMER_PER_DAY", "1000000000", "HELPSTREAM_MAX_MESSAGES_PER_MINUTE",
                "10000", "HELPSTREAM_VERIFICATION_MAX_ATTEMPTS", "20", "HELPSTREAM_VERIFICATION_CODE_LIFETIME", "1d");
        assertThat(high.agent().budgets())
                .isEqualTo(new io.helpstream.security.Budgets(51, 1_000_000_000, 1_000_000_000, 10_000));
        assertThat(high.agent().verification())
                .isEqualTo(new io.helpstream.security.VerificationSettings(20, Duration.ofDays(1)));
        assertThat(read("HELPSTREAM_TOPIC_VERIFICATION_REQUESTS", "v", "HELPSTREAM_TOPIC_AUDIT", "a").topics().all())
                .contains("v", "a");
        assertThat(read("HELPSTREAM_TOPIC_HANDOFFS", "h", "HELPSTREAM_TOPIC_AGENT_ACTIONS", "x").topics().all())
                .contains("h", "x");
    }

    @Test
    void should_read_the_handoff_settings_with_their_defaults_and_at_their_bounds() {
        HelpstreamConfig defaults = read();
        assertThat(defaults.conversations().handoff()).isEqualTo(io.helpstream.conversation.HandoffSettings.defaults());
        assertThat(defaults.conversations().handoff().timeout()).isEqualTo(Duration.ofMinutes(10));
        assertThat(defaults.agent().handoffTool()).isTrue();
        HelpstreamConfig edges = read("HELPSTREAM_HANDOFF_TIMEOUT", "1s", "HELPSTREAM_HANDOFF_TIMEOUT_POLICY",
                "return-to-bot", "HELPSTREAM_HANDOFF_AFTER_FAILED_TURNS", "0", "HELPSTREAM_HANDOFF_TOOL", "false",
                "HELPSTREAM_HANDOFF_ON_CUSTOMER_REQUEST", "false", "HELPSTREAM_HANDOFF_ON_BUDGET_REFUSAL", "false",
                "HELPSTREAM_HANDOFF_ON_VERIFICATION_FAILURE", "false", "HELPSTREAM_HANDOFF_ANNOUNCE_ACCEPT", "false");
        assertThat(edges.conversations().handoff()).isEqualTo(new io.helpstream.conversation.HandoffSettings(false,
                false, 0, false, false, Duration.ofSeconds(1),
                io.helpstream.conversation.HandoffSettings.TimeoutPolicy.RETURN_TO_BOT, false));
        assertThat(edges.agent().handoffTool()).as("the model is not offered the tool").isFalse();
        assertThat(read("HELPSTREAM_HANDOFF_TIMEOUT", "7d", "HELPSTREAM_HANDOFF_AFTER_FAILED_TURNS", "100")
                .conversations().handoff()).satisfies(handoff -> {
                    assertThat(handoff.timeout()).isEqualTo(Duration.ofDays(7));
                    assertThat(handoff.afterFailedTurns()).isEqualTo(100);
                });
    }

    @Test
    void should_read_the_message_limits_in_bytes_at_their_bounds() {
        assertThat(read().conversations().messageLimits()).isEqualTo(MessageLimits.defaults());
        assertThat(read("HELPSTREAM_MAX_MESSAGE_BYTES", "900000", "HELPSTREAM_MAX_CHANNEL_BYTES", "1",
                "HELPSTREAM_MAX_METADATA_ENTRIES", "0", "HELPSTREAM_MAX_METADATA_BYTES", "0")
                .conversations().messageLimits()).isEqualTo(new MessageLimits(900_000, 1, 0, 0));
    }

    @Test
    void should_read_the_inbox_limits_dedup_retention_and_expiry_batch_at_their_bounds() {
        assertThat(read().conversations().inboxLimits()).isEqualTo(InboxLimits.defaults());
        assertThat(read().conversations().dedupRetention()).isEqualTo(Duration.ofDays(7));
        assertThat(read("HELPSTREAM_MAX_PENDING_MESSAGES", "1", "HELPSTREAM_MAX_PENDING_BYTES", "100000000",
                "HELPSTREAM_MAX_MESSAGES_PER_TURN", "100").conversations().inboxLimits())
                .isEqualTo(new InboxLimits(1, 100_000_000, 100));
        assertThat(read("HELPSTREAM_MAX_PENDING_MESSAGES", "10000", "HELPSTREAM_MAX_MESSAGE_BYTES", "512",
                "HELPSTREAM_MAX_PENDING_BYTES", "1024", "HELPSTREAM_MAX_MESSAGES_PER_TURN", "1")
                .conversations().inboxLimits()).isEqualTo(new InboxLimits(10_000, 1_024, 1));
        assertThat(read("HELPSTREAM_MAX_MESSAGE_BYTES", "900000").conversations().inboxLimits().maxPendingBytes())
                .as("unset, the byte cap holds two of the largest messages").isEqualTo(1_800_000);
        assertThat(read("HELPSTREAM_DEDUP_RETENTION", "1m").conversations().dedupRetention())
                .isEqualTo(Duration.ofMinutes(1));
        assertThat(read("HELPSTREAM_DEDUP_RETENTION", "365d").conversations().dedupRetention())
                .isEqualTo(Duration.ofDays(365));
        assertThat(read("HELPSTREAM_EXPIRY_BATCH", "1").conversations().expiryBatch()).isEqualTo(1);
        assertThat(read("HELPSTREAM_EXPIRY_BATCH", "100000").conversations().expiryBatch()).isEqualTo(100_000);
        assertThat(read().conversations().expiryStepTime()).isEqualTo(Duration.ofMillis(10));
        assertThat(read().streams().compression()).isEqualTo(Compression.LZ4);
        assertThat(read("HELPSTREAM_COMPRESSION", "none").streams().streamsProperties("b", Topics.defaults())
                .get("producer.compression.type")).isEqualTo("none");
        assertThat(read("HELPSTREAM_COMPRESSION", "ZSTD").streams().compression()).isEqualTo(Compression.ZSTD);
        assertThat(read("HELPSTREAM_EXPIRY_STEP_TIME", "1ms").conversations().expiryStepTime())
                .isEqualTo(Duration.ofMillis(1));
        assertThat(read("HELPSTREAM_EXPIRY_STEP_TIME", "1s").conversations().expiryStepTime())
                .isEqualTo(Duration.ofSeconds(1));
    }

    @ParameterizedTest
    @CsvSource({"http://127.0.0.1:11434/v1", "http://localhost:8000/v1", "http://[::1]:8000/v1",
            "http://127.1.2.3/v1", "https://models.example.com/v1"})
    void should_accept_a_model_server_over_https_or_on_this_machine(String url) {
        assertThat(read("OPENAI_API_KEY", "k", "OPENAI_BASE_URL", url).model().baseUrl()).contains(url);
    }

    @ParameterizedTest
    @CsvSource({"http://ollama:11434/v1", "http://10.0.0.5/v1", "http://models.example.com/v1",
            "http://localhost.example.com/v1"})
    void should_refuse_to_send_the_api_key_over_plain_http_to_another_machine(String url) {
        assertThatThrownBy(() -> read("OPENAI_API_KEY", "k", "OPENAI_BASE_URL", url))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("OPENAI_BASE_URL: ")
                .hasMessageContaining("unencrypted")
                .hasMessageContaining("OPENAI_ALLOW_PLAIN_HTTP");
        assertThat(read("OPENAI_API_KEY", "k", "OPENAI_BASE_URL", url, "OPENAI_ALLOW_PLAIN_HTTP", "true")
                .model().baseUrl()).as("on an explicit opt-in").contains(url);
    }

    @Test
    void should_refuse_the_count_of_remembered_ids_now_that_ids_are_kept_for_a_time() {
        assertThatThrownBy(() -> read("HELPSTREAM_DEDUP_WINDOW", "256"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("HELPSTREAM_DEDUP_WINDOW")
                .hasMessageContaining("HELPSTREAM_DEDUP_RETENTION");
    }

    @Test
    void should_refuse_a_weaker_processing_guarantee_naming_the_setting() {
        assertThatThrownBy(() -> read("HELPSTREAM_PROCESSING_GUARANTEE", "at_least_once"))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("HELPSTREAM_PROCESSING_GUARANTEE:")
                .hasMessageContaining("exactly_once_v2");
    }

    @Test
    void should_choose_openai_when_an_api_key_is_set() {
        HelpstreamConfig config = read("OPENAI_API_KEY", "sk-test", "OPENAI_BASE_URL", "http://127.0.0.1:11434/v1",
                "OPENAI_MODEL", "llama3.1");

        assertThat(config.model().kind()).isEqualTo(ModelSettings.Kind.OPENAI);
        assertThat(config.model().baseUrl()).contains("http://127.0.0.1:11434/v1");
        assertThat(config.model().modelName()).isEqualTo("llama3.1");
        assertThat(config.model().toString()).doesNotContain("sk-test");
    }

    @Test
    void should_read_every_topic_name_and_processing_setting() {
        HelpstreamConfig config = read("KAFKA_BOOTSTRAP_SERVERS", "k1:9092,k2:9092",
                "HELPSTREAM_TOPIC_CUSTOMER_MESSAGES", "in", "HELPSTREAM_TOPIC_AGENT_REPLIES", "out",
                "HELPSTREAM_IDLE_TIMEOUT", "5m", "HELPSTREAM_MAX_IN_FLIGHT_TURNS", "64",
                "HELPSTREAM_PROCESSING_GUARANTEE", "exactly_once_v2", "HELPSTREAM_CACHE_ENABLED", "false",
                "DATABASE_URL", "postgresql://app:secret@db:5432/support");

        assertThat(config.streams().bootstrapServers()).contains("k1:9092,k2:9092");
        assertThat(config.topics().customerMessages().name()).isEqualTo("in");
        assertThat(config.topics().agentReplies().name()).isEqualTo("out");
        assertThat(config.conversations().idleTimeout()).isEqualTo(Duration.ofMinutes(5));
        assertThat(config.maxInFlightTurns()).isEqualTo(64);
        assertThat(config.cache()).isEmpty();
        assertThat(config.database()).hasValueSatisfying(url -> {
            assertThat(url.jdbcUrl()).isEqualTo("jdbc:postgresql://db:5432/support");
            assertThat(url.user()).isEqualTo("app");
        });
    }

    @ParameterizedTest
    @CsvSource({
            "HELPSTREAM_IDLE_TIMEOUT, soon",
            "HELPSTREAM_MAX_IN_FLIGHT_TURNS, many",
            "HELPSTREAM_MAX_IN_FLIGHT_TURNS, 0",
            "HELPSTREAM_MODEL, gpt",
            "HELPSTREAM_CACHE_ENABLED, maybe",
            "REDIS_URL, localhost:6379",
            "DATABASE_URL, mysql://db/x",
            "OPENAI_TEMPERATURE, 7",
            "HELPSTREAM_PARTITIONS, -1",
            "HELPSTREAM_SYSTEM_PROMPT_FILE, /no/such/file",
            "OPENAI_MAX_RETRIES, -1",
            "OPENAI_MAX_RETRIES, lots",
            "OPENAI_RETRY_INITIAL_BACKOFF, quick",
            "OPENAI_MAX_CONCURRENT_CALLS, 0",
            "OPENAI_REQUESTS_PER_MINUTE, -5",
            "OPENAI_PERMIT_WAIT, forever",
            "OPENAI_BREAKER_FAILURE_RATE, 101",
            "OPENAI_BREAKER_WINDOW, 0",
            "OPENAI_BREAKER_OPEN_DURATION, 0ms",
            "HELPSTREAM_TURN_TIMEOUT, 999ms",
            "HELPSTREAM_MAX_MESSAGE_BYTES, 0",
            "HELPSTREAM_MAX_WRITES_PER_TURN, -1",
            "OPENAI_MAX_TOKENS, 0",
            "OPENAI_MAX_TOKENS, 100001",
            "HELPSTREAM_MAX_WRITES_PER_TURN, 101",
            "HELPSTREAM_MAX_TOOL_CALLS_PER_TURN, 0",
            "HELPSTREAM_MAX_MODEL_CALLS_PER_MESSAGE, 0",
            "HELPSTREAM_MAX_MODEL_CALLS_PER_MESSAGE, 52",
            "HELPSTREAM_MAX_TOKENS_PER_CONVERSATION, 999",
            "HELPSTREAM_MAX_TOKENS_PER_CONVERSATION, 1000000001",
            "HELPSTREAM_MAX_TOKENS_PER_CUSTOMER_PER_DAY, 999",
            "HELPSTREAM_MAX_TOKENS_PER_CUSTOMER_PER_DAY, many",
            "HELPSTREAM_MAX_MESSAGES_PER_MINUTE, 0",
            "HELPSTREAM_MAX_MESSAGES_PER_MINUTE, 10001",
            "HELPSTREAM_VERIFICATION_MAX_ATTEMPTS, 0",
            "HELPSTREAM_HANDOFF_TIMEOUT, 999ms",
            "HELPSTREAM_HANDOFF_TIMEOUT, 8d",
            "HELPSTREAM_HANDOFF_TIMEOUT_POLICY, hang-up",
            "HELPSTREAM_HANDOFF_AFTER_FAILED_TURNS, -1",
            "HELPSTREAM_HANDOFF_AFTER_FAILED_TURNS, 101",
            "HELPSTREAM_HANDOFF_TOOL, maybe",
            "HELPSTREAM_VERIFICATION_MAX_ATTEMPTS, 21",
            "HELPSTREAM_VERIFICATION_CODE_LIFETIME, 59s",
            "HELPSTREAM_VERIFICATION_CODE_LIFETIME, 25h",
            "HELPSTREAM_MAX_TOOL_CALLS_PER_TURN, 201",
            "HELPSTREAM_MAX_CONTEXT_ENTRIES, 1001",
            "HELPSTREAM_MAX_CONTEXT_VALUE_BYTES, 0",
            "HELPSTREAM_MAX_MESSAGE_BYTES, 900001",
            "HELPSTREAM_MAX_MESSAGE_CHARS, 4000",
            "HELPSTREAM_MAX_CHANNEL_BYTES, 0",
            "HELPSTREAM_MAX_METADATA_ENTRIES, -1",
            "HELPSTREAM_MAX_METADATA_BYTES, 100001",
            "HELPSTREAM_TURN_TIMEOUT, 61m",
            "HELPSTREAM_MAX_RECORD_BYTES, 9999",
            "HELPSTREAM_MAX_RECORD_BYTES, 1000001",
            "HELPSTREAM_MAX_THREAD_FAILURES, 0",
            "HELPSTREAM_THREAD_FAILURE_WINDOW, 999ms",
            "DATABASE_CONNECT_TIMEOUT, 999ms",
            "DATABASE_SOCKET_TIMEOUT, 10s",
            "DATABASE_STATEMENT_TIMEOUT, 0ms",
            "DATABASE_LOCK_TIMEOUT, 0ms",
            "HELPSTREAM_MAX_PENDING_MESSAGES, 0",
            "HELPSTREAM_MAX_PENDING_MESSAGES, 10001",
            "HELPSTREAM_MAX_PENDING_BYTES, 1023",
            "HELPSTREAM_MAX_PENDING_BYTES, 100000001",
            "HELPSTREAM_MAX_PENDING_BYTES, 20000",
            "HELPSTREAM_MAX_MESSAGES_PER_TURN, 0",
            "HELPSTREAM_MAX_MESSAGES_PER_TURN, 101",
            "HELPSTREAM_DEDUP_RETENTION, 59s",
            "HELPSTREAM_DEDUP_RETENTION, 366d",
            "HELPSTREAM_EXPIRY_BATCH, 0",
            "HELPSTREAM_EXPIRY_BATCH, 100001",
            "HELPSTREAM_EXPIRY_STEP_TIME, 0ms",
            "HELPSTREAM_COMPRESSION, brotli",
            "HELPSTREAM_EXPIRY_STEP_TIME, 1001ms",
            "HELPSTREAM_CACHE_KEY_SECRET, too-short-a-secret",
            "HELPSTREAM_ENCRYPTION_KEYSET, not-a-keyset",
            "HELPSTREAM_ENCRYPTION_KEYSET, '{\"primaryKeyId\": 1, \"key\": []}'",
            "HELPSTREAM_ENCRYPTION_KEYSET_FILE, /nonexistent/keyset.json",
            "HELPSTREAM_DEAD_LETTER_PAYLOAD, shred",
            "HELPSTREAM_DEAD_LETTER_PAYLOAD, encrypt",
            "HELPSTREAM_DEAD_LETTER_RETENTION, 59m",
            "HELPSTREAM_DEAD_LETTER_RETENTION, 3651d",
            "HELPSTREAM_JOURNAL_RETENTION, 9s",
            "HELPSTREAM_JOURNAL_RETENTION, 31d",
            "HELPSTREAM_JOURNAL_MAX_AGE, 31d",
            "HELPSTREAM_STANDBY_REPLICAS, -1",
            "HELPSTREAM_STANDBY_REPLICAS, 11",
            "HELPSTREAM_ACCEPTABLE_RECOVERY_LAG, -1",
            "HELPSTREAM_MAX_WARMUP_REPLICAS, 0",
            "HELPSTREAM_PROBING_REBALANCE_INTERVAL, 59s",
            "HELPSTREAM_SHUTDOWN_GRACE, 11m",
            "HELPSTREAM_SHUTDOWN_GRACE, soon"
    })
    void should_stop_with_a_message_naming_the_setting_when_a_value_is_invalid(String name, String value) {
        assertThatThrownBy(() -> read(name, value))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith(name + ":");
    }

    @Test
    void should_pass_the_standby_and_warm_up_settings_to_kafka_streams_at_their_bounds() {
        assertThat(read().streams().streamsProperties("k:9092", read().topics()))
                .containsEntry("num.standby.replicas", 0).containsEntry("acceptable.recovery.lag", 10_000L)
                .containsEntry("max.warmup.replicas", 2).containsEntry("probing.rebalance.interval.ms", 600_000L);
        HelpstreamConfig config = read("HELPSTREAM_STANDBY_REPLICAS", "10", "HELPSTREAM_ACCEPTABLE_RECOVERY_LAG", "0",
                "HELPSTREAM_MAX_WARMUP_REPLICAS", "1", "HELPSTREAM_PROBING_REBALANCE_INTERVAL", "1m");
        assertThat(config.streams().streamsProperties("k:9092", config.topics()))
                .containsEntry("num.standby.replicas", 10).containsEntry("acceptable.recovery.lag", 0L)
                .containsEntry("max.warmup.replicas", 1).containsEntry("probing.rebalance.interval.ms", 60_000L);
    }

    @Test
    void should_read_the_shutdown_grace_at_its_bounds() {
        assertThat(read().shutdownGrace()).isEqualTo(Duration.ofSeconds(20));
        assertThat(read("HELPSTREAM_SHUTDOWN_GRACE", "0s").shutdownGrace()).isZero();
        assertThat(read("HELPSTREAM_SHUTDOWN_GRACE", "10m").shutdownGrace()).isEqualTo(Duration.ofMinutes(10));
    }

    @Test
    void should_read_how_long_turn_steps_are_kept_at_their_bounds() {
        assertThat(read().journal()).isEqualTo(JournalSettings.defaults());
        assertThat(read("HELPSTREAM_JOURNAL_RETENTION", "10s", "HELPSTREAM_JOURNAL_MAX_AGE", "10s").journal())
                .isEqualTo(new JournalSettings(Duration.ofSeconds(10), Duration.ofSeconds(10)));
        assertThat(read("HELPSTREAM_JOURNAL_RETENTION", "30d").journal().maxAge())
                .as("the maximum age is at least the retention").isEqualTo(Duration.ofDays(30));
        assertThatThrownBy(() -> read("HELPSTREAM_JOURNAL_RETENTION", "1h", "HELPSTREAM_JOURNAL_MAX_AGE", "30m"))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("HELPSTREAM_JOURNAL_MAX_AGE:");
    }

    @Test
    void should_default_the_poison_guards_and_database_timeouts() {
        HelpstreamConfig config = read();

        assertThat(config.conversations().turnTimeout()).isEqualTo(Duration.ofMinutes(2));
        assertThat(config.conversations().maxRecordBytes()).isEqualTo(1_000_000);
        assertThat(config.threadFailures()).isEqualTo(new HelpstreamConfig.ThreadFailureLimit(5,
                Duration.ofMinutes(10)));
        assertThat(config.databasePool()).isEqualTo(new HelpstreamConfig.PoolSettings(1, 10, Duration.ofSeconds(5),
                Duration.ofSeconds(5), Duration.ofSeconds(30), Duration.ofSeconds(10), Duration.ofSeconds(5)));
    }

    @Test
    void should_read_the_poison_guards_and_database_timeouts_at_their_bounds() {
        HelpstreamConfig config = read("HELPSTREAM_TURN_TIMEOUT", "1h",
                "HELPSTREAM_MAX_RECORD_BYTES", "10000", "HELPSTREAM_MAX_THREAD_FAILURES", "1",
                "HELPSTREAM_THREAD_FAILURE_WINDOW", "1s", "DATABASE_CONNECT_TIMEOUT", "1s",
                "DATABASE_SOCKET_TIMEOUT", "2s", "DATABASE_STATEMENT_TIMEOUT", "1999ms", "DATABASE_LOCK_TIMEOUT",
                "1ms");

        assertThat(config.conversations().turnTimeout()).isEqualTo(Duration.ofHours(1));
        assertThat(config.conversations().maxRecordBytes()).isEqualTo(10_000);
        assertThat(config.threadFailures()).isEqualTo(new HelpstreamConfig.ThreadFailureLimit(1,
                Duration.ofSeconds(1)));
        assertThat(config.databasePool()).isEqualTo(new HelpstreamConfig.PoolSettings(1, 10, Duration.ofSeconds(5),
                Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofMillis(1999), Duration.ofMillis(1)));
        assertThat(read("HELPSTREAM_TURN_TIMEOUT", "1s").conversations().turnTimeout())
                .isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void should_make_a_configured_instance_id_a_static_group_member() {
        HelpstreamConfig config = read("HELPSTREAM_INSTANCE_ID", "helpstream-0");

        java.util.Properties props = config.streams().streamsProperties("k:9092", config.topics());

        assertThat(props).containsEntry("main.consumer.group.instance.id", "helpstream-0");
        assertThat(read().streams().streamsProperties("k:9092", config.topics()))
                .doesNotContainKey("main.consumer.group.instance.id");
    }

    @Test
    void should_leave_the_group_on_shutdown_unless_a_static_member_or_told_otherwise() {
        assertThat(read().streams().rebalancing().leaveGroupOnShutdown()).isTrue();
        assertThat(read("HELPSTREAM_INSTANCE_ID", "helpstream-0").streams().rebalancing().leaveGroupOnShutdown())
                .isFalse();
        assertThat(read("HELPSTREAM_INSTANCE_ID", "helpstream-0", "HELPSTREAM_LEAVE_GROUP_ON_SHUTDOWN", "true")
                .streams().rebalancing().leaveGroupOnShutdown()).isTrue();
    }

    @Test
    void should_require_an_api_key_for_the_openai_model() {
        assertThatThrownBy(() -> read("HELPSTREAM_MODEL", "openai"))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("OPENAI_API_KEY:");
    }

    @Test
    void should_read_the_system_prompt_from_a_file(@TempDir Path dir) throws Exception {
        Path prompt = Files.writeString(dir.resolve("prompt.txt"), "You are a pirate support agent.\n");

        HelpstreamConfig config = read("HELPSTREAM_SYSTEM_PROMPT_FILE", prompt.toString());

        assertThat(config.agent().systemPrompt()).isEqualTo("You are a pirate support agent.");
    }

    @ParameterizedTest
    @CsvSource({"500ms, 500", "45s, 45000", "30m, 1800000", "2h, 7200000", "PT1M, 60000"})
    void should_accept_short_and_iso_durations(String raw, long millis) {
        assertThat(Env.parseDuration("X", raw)).isEqualTo(Duration.ofMillis(millis));
    }

    @Test
    void should_read_the_remote_model_guards() {
        HelpstreamConfig config = read("OPENAI_API_KEY", "sk-x", "OPENAI_MAX_RETRIES", "5",
                "OPENAI_RETRY_INITIAL_BACKOFF", "200ms", "OPENAI_RETRY_MAX_BACKOFF", "10s",
                "OPENAI_MAX_CONCURRENT_CALLS", "3", "OPENAI_REQUESTS_PER_MINUTE", "120", "OPENAI_PERMIT_WAIT", "5s",
                "OPENAI_BREAKER_FAILURE_RATE", "75", "OPENAI_BREAKER_WINDOW", "20",
                "OPENAI_BREAKER_OPEN_DURATION", "1m");

        var guards = config.model().resilience();
        assertThat(guards.maxRetries()).isEqualTo(5);
        assertThat(guards.initialBackoff()).isEqualTo(Duration.ofMillis(200));
        assertThat(guards.maxBackoff()).isEqualTo(Duration.ofSeconds(10));
        assertThat(guards.maxConcurrentCalls()).isEqualTo(3);
        assertThat(guards.requestsPerMinute()).isEqualTo(120);
        assertThat(guards.permitWait()).isEqualTo(Duration.ofSeconds(5));
        assertThat(guards.breakerFailureRate()).isEqualTo(75);
        assertThat(guards.breakerWindow()).isEqualTo(20);
        assertThat(guards.breakerOpenDuration()).isEqualTo(Duration.ofMinutes(1));
    }

    @Test
    void should_default_the_guards_to_three_retries_and_no_rate_limit() {
        var guards = read("OPENAI_API_KEY", "sk-x").model().resilience();

        assertThat(guards.maxRetries()).isEqualTo(3);
        assertThat(guards.requestsPerMinute()).isZero();
        assertThat(guards.maxConcurrentCalls()).isEqualTo(8);
    }

    @Test
    void should_leave_stored_values_and_dead_letters_as_they_are_without_a_keyset() {
        HelpstreamConfig config = read();

        assertThat(config.protection().cipher().enabled()).isFalse();
        assertThat(config.protection().deadLetterPayload()).isEqualTo(DeadLetterPayload.KEEP);
        assertThat(config.protection().deadLetterTopicConfigs()).containsEntry("retention.ms", "604800000");
    }

    @Test
    void should_read_the_keyset_from_the_variable_or_a_file_and_the_dead_letter_policy_at_its_bounds(
            @TempDir Path dir) throws Exception {
        String keyset = TestKeysets.json(TestKeysets.fresh());
        Path file = Files.writeString(dir.resolve("keyset.json"), keyset);

        HelpstreamConfig inline = read("HELPSTREAM_ENCRYPTION_KEYSET", keyset, "HELPSTREAM_DEAD_LETTER_PAYLOAD",
                "encrypt", "HELPSTREAM_DEAD_LETTER_RETENTION", "1h");
        HelpstreamConfig fromFile = read("HELPSTREAM_ENCRYPTION_KEYSET_FILE", file.toString(),
                "HELPSTREAM_DEAD_LETTER_PAYLOAD", "redact", "HELPSTREAM_DEAD_LETTER_RETENTION", "3650d");

        assertThat(inline.protection().cipher().enabled()).isTrue();
        assertThat(inline.protection().deadLetterPayload()).isEqualTo(DeadLetterPayload.ENCRYPT);
        assertThat(inline.protection().deadLetterTopicConfigs()).containsEntry("retention.ms", "3600000");
        assertThat(fromFile.protection().cipher().enabled()).isTrue();
        assertThat(fromFile.protection().deadLetterPayload()).isEqualTo(DeadLetterPayload.REDACT);
        assertThat(fromFile.protection().deadLetterRetention()).isEqualTo(Duration.ofDays(3650));
        assertThatThrownBy(() -> read("HELPSTREAM_ENCRYPTION_KEYSET", keyset, "HELPSTREAM_ENCRYPTION_KEYSET_FILE",
                file.toString())).isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("HELPSTREAM_ENCRYPTION_KEYSET: and HELPSTREAM_ENCRYPTION_KEYSET_FILE");
    }

    @Test
    void should_name_the_variable_and_no_key_material_when_the_keyset_is_bad() {
        String damaged = TestKeysets.json(TestKeysets.fresh()).replace("\"value\"", "\"valeur\"");

        assertThatThrownBy(() -> read("HELPSTREAM_ENCRYPTION_KEYSET", damaged)).isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("HELPSTREAM_ENCRYPTION_KEYSET: is not a Tink keyset")
                .hasMessageNotContaining("primaryKeyId");
    }

    @Test
    void should_reject_a_longest_backoff_shorter_than_the_first() {
        assertThatThrownBy(() -> read("OPENAI_RETRY_INITIAL_BACKOFF", "5s", "OPENAI_RETRY_MAX_BACKOFF", "1s"))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("OPENAI_RETRY_MAX_BACKOFF:");
    }

    @Test
    void should_raise_the_default_longest_backoff_to_a_longer_first_backoff() {
        var guards = read("OPENAI_RETRY_INITIAL_BACKOFF", "45s").model().resilience();

        assertThat(guards.maxBackoff()).isEqualTo(Duration.ofSeconds(45));
    }

    @Test
    void should_keep_the_chat_page_off_and_bound_the_pages_by_default() {
        PageSettings pages = read().http().pages();

        assertThat(pages.chatPage()).isFalse();
        assertThat(pages).isEqualTo(PageSettings.defaults());
        assertThat(pages.deskMaxHandoffs()).isEqualTo(1_000);
        assertThat(pages.deskSessionLifetime()).isEqualTo(Duration.ofHours(8));
        assertThat(read("HELPSTREAM_CHAT_PAGE", "true").http().pages().chatPage()).isTrue();
    }

    @ParameterizedTest
    @CsvSource({
            "HELPSTREAM_DESK_MAX_HANDOFFS, 1", "HELPSTREAM_DESK_MAX_HANDOFFS, 1000000",
            "HELPSTREAM_DESK_MAX_TIMELINE, 1", "HELPSTREAM_DESK_MAX_TIMELINE, 100000",
            "HELPSTREAM_DESK_MAX_STREAMS, 1", "HELPSTREAM_DESK_MAX_STREAMS, 10000",
            "HELPSTREAM_DESK_MAX_SESSIONS, 1", "HELPSTREAM_DESK_MAX_SESSIONS, 100000",
            "HELPSTREAM_DESK_SESSION_LIFETIME, 1m", "HELPSTREAM_DESK_SESSION_LIFETIME, 7d",
            "HELPSTREAM_CHAT_MAX_STREAMS, 1", "HELPSTREAM_CHAT_MAX_STREAMS, 10000",
            "HELPSTREAM_CHAT_MAX_CONVERSATIONS, 1", "HELPSTREAM_CHAT_MAX_CONVERSATIONS, 1000000",
            "HELPSTREAM_PAGE_SEND_TIMEOUT, 1s", "HELPSTREAM_PAGE_SEND_TIMEOUT, 5m",
            "HELPSTREAM_CHAT_PAGE, false"
    })
    void should_accept_the_page_settings_at_their_edges(String name, String value) {
        assertThat(read(name, value).http().pages()).isNotNull();
    }

    @ParameterizedTest
    @CsvSource({
            "HELPSTREAM_DESK_MAX_HANDOFFS, 0", "HELPSTREAM_DESK_MAX_HANDOFFS, 1000001",
            "HELPSTREAM_DESK_MAX_TIMELINE, 0", "HELPSTREAM_DESK_MAX_TIMELINE, 100001",
            "HELPSTREAM_DESK_MAX_STREAMS, 0", "HELPSTREAM_DESK_MAX_STREAMS, 10001",
            "HELPSTREAM_DESK_MAX_SESSIONS, 0", "HELPSTREAM_DESK_MAX_SESSIONS, 100001",
            "HELPSTREAM_DESK_SESSION_LIFETIME, 59s", "HELPSTREAM_DESK_SESSION_LIFETIME, 8d",
            "HELPSTREAM_CHAT_MAX_STREAMS, 0", "HELPSTREAM_CHAT_MAX_STREAMS, 10001",
            "HELPSTREAM_CHAT_MAX_CONVERSATIONS, 0", "HELPSTREAM_CHAT_MAX_CONVERSATIONS, 1000001",
            "HELPSTREAM_PAGE_SEND_TIMEOUT, 999ms", "HELPSTREAM_PAGE_SEND_TIMEOUT, 6m",
            "HELPSTREAM_CHAT_PAGE, sometimes"
    })
    void should_stop_naming_the_page_setting_when_its_value_is_past_its_edge(String name, String value) {
        assertThatThrownBy(() -> read(name, value))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith(name + ":");
    }
}
