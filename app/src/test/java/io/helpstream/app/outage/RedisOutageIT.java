package io.helpstream.app.outage;

import static org.assertj.core.api.Assertions.assertThat;

import io.helpstream.app.Application;
import io.helpstream.client.GatewayClient;
import io.helpstream.config.Env;
import io.helpstream.config.HelpstreamConfig;
import io.helpstream.schema.AgentReply;
import io.helpstream.tickets.cache.ThrowawayRedis;
import io.helpstream.tickets.postgres.DatabaseSettings;
import io.helpstream.tickets.postgres.PostgresTestDatabase;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Redis dies for 30 s in the middle of a steady stream of turns that look customers up: no turn fails, every
 * message is answered once (the look-ups come from PostgreSQL meanwhile), and the cache serves hits again once
 * Redis is back.
 */
class RedisOutageIT {

    private static final Duration OUTAGE = Duration.ofSeconds(30);
    private static final String[] EMAILS = {"john@example.com", "jane@example.com", "bob@example.com"};

    @RegisterExtension
    static final PostgresTestDatabase DB = PostgresTestDatabase.withSampleData();

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final String run = UUID.randomUUID().toString().substring(0, 8);
    private ThrowawayRedis redis;
    private Application app;

    @BeforeEach
    void start() throws Exception {
        redis = ThrowawayRedis.volatileServer().start();
        DatabaseSettings db = DB.settings().build();
        HelpstreamConfig config = HelpstreamConfig.fromEnvironment(new Env(Map.of(
                "DATABASE_URL", db.jdbcUrl(),
                "DATABASE_USER", db.user() == null ? "" : db.user(),
                "REDIS_URL", redis.url(),
                "REDIS_TIMEOUT", "200ms",
                "HELPSTREAM_CACHE_PREFIX", "helpstream-outage-" + run + ":",
                // Steady traffic to a few conversations: the messages-per-minute budget is BudgetTopologyTest's.
                "HELPSTREAM_MAX_MESSAGES_PER_MINUTE", "10000",
                "HELPSTREAM_MODEL", "offline")));
        app = Application.start(config, registry);
    }

    @AfterEach
    void stop() throws Exception {
        if (app != null) {
            app.close();
        }
        if (redis != null) {
            redis.close();
        }
    }

    @Test
    @Timeout(value = 3, unit = java.util.concurrent.TimeUnit.MINUTES)
    void should_answer_every_turn_without_failure_while_redis_is_down_and_use_the_cache_again_after()
            throws Exception {
        try (GatewayClient gateway = new GatewayClient(app.bootstrapServers(), app.config().topics())) {
            Traffic traffic = new Traffic(gateway, n -> {
                String email = EMAILS[n % EMAILS.length];
                String text = n % 2 == 0 ? "Look up customer " + email : "What's your return policy?";
                return new Traffic.Next("redis-outage-" + run + "-" + n % 6, email, text);
            }, Duration.ofMillis(250));

            traffic.send("before", Duration.ofSeconds(8));
            double hitsBefore = cache("hit");
            assertThat(hitsBefore).as("cache hits before the outage").isPositive();

            redis.kill();
            traffic.send("outage", OUTAGE);
            double errorsDuringOutage = cache("error");
            double hitsAtRestart = cache("hit");

            redis.start();
            traffic.sendUntil("after", Duration.ofSeconds(40), () -> cache("hit") >= hitsAtRestart + 5);
            traffic.awaitAllAnswered(Duration.ofSeconds(60));

            assertThat(errorsDuringOutage).as("cache errors while Redis was down").isPositive();
            assertThat(cache("hit")).as("cache hits after Redis came back").isGreaterThanOrEqualTo(hitsAtRestart + 5);
            Map<String, List<AgentReply>> replies = traffic.repliesByMessage();
            assertThat(traffic.sent()).allSatisfy(sent -> assertThat(replies.get(sent.id()))
                    .as("replies to %s", sent.message().getText()).hasSize(1)
                    .allSatisfy(reply -> assertThat(reply.getDegraded()).isFalse()));
            assertThat(traffic.sentIn("outage")).hasSizeGreaterThan(50)
                    .filteredOn(sent -> sent.message().getText().startsWith("Look up"))
                    .allSatisfy(sent -> assertThat(replies.get(sent.id()).get(0).getText())
                            .contains("I've pulled up your account"));
            assertThat(counter("helpstream.turns", "failed")).as("failed turns").isZero();
        }
    }

    private double cache(String result) {
        return registry.find("helpstream.cache.requests").tag("operation", "get").tag("result", result).counters()
                .stream().mapToDouble(Counter::count).sum();
    }

    private double counter(String name, String result) {
        return registry.find(name).tag("result", result).counters().stream().mapToDouble(Counter::count).sum();
    }
}
