package io.helpstream.app.outage;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.helpstream.app.Application;
import io.helpstream.app.Metrics;
import io.helpstream.config.Env;
import io.helpstream.config.HelpstreamConfig;
import io.helpstream.localstack.postgres.DatabaseUrl;
import io.helpstream.ops.HttpProbe;
import io.helpstream.config.HttpSettings;
import io.helpstream.ops.Operations;
import io.helpstream.tickets.postgres.DatabaseSettings;
import io.helpstream.tickets.postgres.PostgresTestDatabase;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What an orchestrator's probes see: not ready while helpstream starts, ready once it runs, not ready while
 * PostgreSQL is cut off (a proxy between helpstream and the server drops every connection), ready again when it is
 * back; alive throughout.
 */
class ReadinessIT {

    private static final Duration WITHIN = Duration.ofSeconds(60);

    @RegisterExtension
    static final PostgresTestDatabase DB = PostgresTestDatabase.withSampleData();

    private TcpProxy proxy;
    private Operations operations;
    private Application app;

    @AfterEach
    void stop() throws Exception {
        if (app != null) {
            app.close();
        }
        if (operations != null) {
            operations.close();
        }
        if (proxy != null) {
            proxy.close();
        }
    }

    @Test
    @Timeout(value = 4, unit = TimeUnit.MINUTES)
    void should_be_ready_only_while_kafka_streams_runs_and_postgres_answers() throws Exception {
        HelpstreamConfig config = configThroughProxy();
        PrometheusMeterRegistry registry = Metrics.prometheus();
        operations = Operations.start(config.http(), registry);
        HttpProbe probe = new HttpProbe(operations.address());

        HttpProbe.Answer starting = probe.get("/health/ready");
        assertThat(starting.status()).as(starting.body()).isEqualTo(503);
        assertThat(starting.json().path("status").asText()).isEqualTo("DOWN");
        assertThat(probe.get("/health/live").status()).isEqualTo(200);

        app = Application.builder(config).registry(registry).build();
        operations.serve(app);
        HttpProbe.Answer created = probe.get("/health/ready");
        assertThat(created.status()).as(created.body()).isEqualTo(503);
        assertThat(created.json().path("checks").path("kafkaStreams").path("detail").asText()).contains("CREATED");

        app.start();
        HttpProbe.Answer running = probe.await("/health/ready", answer -> answer.status() == 200, WITHIN);
        JsonNode checks = running.json().path("checks");
        assertThat(checks.path("kafkaStreams").path("status").asText()).isEqualTo("UP");
        assertThat(checks.path("postgres").path("status").asText()).isEqualTo("UP");
        assertThat(checks.has("redis")).as("Redis is reported").isTrue();
        assertThat(probe.get("/health/live").json().path("status").asText()).isEqualTo("UP");

        proxy.cut();
        HttpProbe.Answer cut = probe.await("/health/ready", answer -> answer.status() == 503, WITHIN);
        assertThat(cut.json().path("checks").path("postgres").path("status").asText()).isEqualTo("DOWN");
        assertThat(cut.json().path("checks").path("kafkaStreams").path("status").asText()).isEqualTo("UP");
        assertThat(probe.get("/health/live").status()).as("alive without the database").isEqualTo(200);

        proxy.restore();
        HttpProbe.Answer back = probe.await("/health/ready", answer -> answer.status() == 200, WITHIN);
        assertThat(back.json().path("checks").path("postgres").path("status").asText()).isEqualTo("UP");
    }

    @Test
    @Timeout(value = 4, unit = TimeUnit.MINUTES)
    void should_report_redis_down_without_becoming_unready() throws Exception {
        Map<String, String> env = new HashMap<>(environment(DB.settings().build().jdbcUrl()));
        // Nothing listens there: the cache is down from the start.
        env.put("REDIS_URL", "redis://127.0.0.1:" + freePort());
        HelpstreamConfig config = onAnyFreePort(HelpstreamConfig.fromEnvironment(new Env(env)));
        PrometheusMeterRegistry registry = Metrics.prometheus();
        operations = Operations.start(config.http(), registry);
        app = Application.builder(config).registry(registry).build();
        operations.serve(app);
        app.start();

        HttpProbe.Answer ready = new HttpProbe(operations.address())
                .await("/health/ready", answer -> answer.status() == 200, WITHIN);

        JsonNode redis = ready.json().path("checks").path("redis");
        assertThat(redis.path("status").asText()).isEqualTo("DOWN");
        assertThat(redis.path("detail").asText()).contains("reported only");
    }

    private HelpstreamConfig configThroughProxy() throws Exception {
        DatabaseSettings db = DB.settings().build();
        DatabaseUrl server = DatabaseUrl.parse(db.jdbcUrl());
        String[] hostPort = server.hosts().split(":");
        proxy = TcpProxy.start(hostPort[0], hostPort.length > 1 ? Integer.parseInt(hostPort[1]) : 5432);
        Map<String, String> env = environment(DatabaseUrl.of("127.0.0.1", proxy.port(), server.database()).jdbcUrl());
        return onAnyFreePort(HelpstreamConfig.fromEnvironment(new Env(env)));
    }

    /** The endpoint on any free port of this machine (the variable cannot ask for that: 0 switches it off). */
    private static HelpstreamConfig onAnyFreePort(HelpstreamConfig config) {
        return config.withHttp(config.http().onAnyFreePort(HttpSettings.LOCAL_BIND));
    }

    private static Map<String, String> environment(String jdbcUrl) {
        DatabaseSettings db = DB.settings().build();
        Map<String, String> env = new HashMap<>();
        env.put("DATABASE_URL", jdbcUrl);
        if (db.user() != null) {
            env.put("DATABASE_USER", db.user());
        }
        if (db.password() != null) {
            env.put("DATABASE_PASSWORD", db.password());
        }
        env.put("DATABASE_CONNECTION_TIMEOUT", "500ms");
        env.put("HELPSTREAM_HEALTH_TIMEOUT", "1s");
        env.put("HELPSTREAM_MODEL", "offline");
        return env;
    }

    private static int freePort() throws Exception {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
