package io.helpstream.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.helpstream.client.GatewayClient;
import io.helpstream.config.HttpSettings;
import io.helpstream.ops.HttpProbe;
import io.helpstream.ops.Operations;
import io.helpstream.ops.PrometheusText;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code GET /metrics} as Prometheus scrapes it: helpstream's own meters, the model's under the GenAI names, the
 * Kafka Streams client's and the JVM's, moving as a demo conversation is played.
 */
class MetricsIT {

    @RegisterExtension
    static final RunningHelpstream HELPSTREAM = new RunningHelpstream();

    private static Deployment deployment;
    private static Operations operations;
    private static Application app;
    private static HttpProbe probe;

    @BeforeAll
    static void start() {
        deployment = HELPSTREAM.deployment();
        PrometheusMeterRegistry registry = Metrics.prometheus();
        operations = Operations.start(HttpSettings.defaults().onAnyFreePort(HttpSettings.LOCAL_BIND), registry);
        app = deployment.build(Map.of(), registry);
        operations.serve(app);
        app.start();
        probe = new HttpProbe(operations.address());
    }

    @AfterAll
    static void stop() {
        if (operations != null) {
            operations.close();
        }
    }

    @Test
    void should_show_turn_model_tool_cache_and_kafka_streams_meters_moving_after_a_demo_conversation() {
        PrometheusText before = scrape();

        try (GatewayClient gateway = new GatewayClient(app.bootstrapServers(), deployment.topics())) {
            Exchange.play(gateway, "metrics-" + UUID.randomUUID(), SeedScenarios.EMAIL, SeedScenarios.CACHING);
        }
        PrometheusText after = awaitScrape(scrape -> scrape.sum("kafka_stream_thread_process_total")
                > before.sum("kafka_stream_thread_process_total"));

        assertMoved(before, after, "helpstream_turns_total", "result=\"succeeded\"");
        assertMoved(before, after, "helpstream_turn_duration_seconds_count");
        assertMoved(before, after, "helpstream_inbox_depth_count");
        assertMoved(before, after, "gen_ai_client_operation_duration_seconds_count",
                "gen_ai_operation_name=\"chat\"", "gen_ai_response_model=\"helpstream-offline-1\"");
        assertMoved(before, after, "gen_ai_client_token_usage_sum", "gen_ai_token_type=\"input\"");
        assertMoved(before, after, "gen_ai_client_token_usage_sum", "gen_ai_token_type=\"output\"");
        assertMoved(before, after, "helpstream_tool_calls_seconds_count", "tool=\"lookupCustomer\"",
                "outcome=\"customer_found\"");
        assertMoved(before, after, "helpstream_tool_calls_seconds_count", "tool=\"answerFaq\"");
        assertMoved(before, after, "helpstream_cache_requests_total", "result=\"hit\"");
        assertMoved(before, after, "kafka_stream_thread_process_total");
        assertThat(after.has("kafka_stream_thread_commit_latency_avg")).as("commit latency").isTrue();
        assertThat(after.has("kafka_consumer_fetch_manager_records_lag_max")).as("consumer lag").isTrue();
        assertThat(after.sum("helpstream_streams_tasks", "kind=\"active\"")).as("active tasks").isEqualTo(2);
        assertThat(after.sum("jvm_memory_used_bytes")).as("JVM memory").isPositive();
        assertThat(after.has("hikaricp_connections_active")).as("connection pool").isTrue();
    }

    @Test
    void should_not_serve_conversations_without_an_admin_token() {
        assertThat(probe.get("/conversations/any").status()).isEqualTo(404);
        assertThat(probe.get("/conversations/any", "Bearer anything-at-all-of-24-chars").status()).isEqualTo(404);
    }

    @Test
    void should_count_dead_letters_by_reason() {
        PrometheusText before = scrape();

        Map<String, Object> config = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, app.bootstrapServers());
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(config, new ByteArraySerializer(),
                new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(deployment.topics().customerMessages().name(),
                    "metrics-garbage".getBytes(StandardCharsets.UTF_8),
                    "not a customer message".getBytes(StandardCharsets.UTF_8)));
        }

        PrometheusText after = awaitScrape(scrape -> scrape.sum("helpstream_dead_letters_total",
                "reason=\"UNREADABLE_RECORD\"") > before.sum("helpstream_dead_letters_total",
                "reason=\"UNREADABLE_RECORD\""));
        assertMoved(before, after, "helpstream_dead_letters_total", "reason=\"UNREADABLE_RECORD\"");
    }

    private static PrometheusText scrape() {
        HttpProbe.Answer answer = probe.get("/metrics");
        assertThat(answer.status()).isEqualTo(200);
        return new PrometheusText(answer.body());
    }

    private static PrometheusText awaitScrape(java.util.function.Predicate<PrometheusText> wanted) {
        HttpProbe.Answer answer = probe.await("/metrics", scrape -> wanted.test(new PrometheusText(scrape.body())),
                Duration.ofSeconds(60));
        return new PrometheusText(answer.body());
    }

    private static void assertMoved(PrometheusText before, PrometheusText after, String name, String... labels) {
        assertThat(after.sum(name, labels)).as("%s %s", name, String.join(",", labels))
                .isGreaterThan(before.sum(name, labels));
    }
}
