package io.helpstream.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.helpstream.agent.offline.OfflineChatModel;
import io.helpstream.client.GatewayClient;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The cache is optional: with Redis unreachable every message is still answered from PostgreSQL. */
class RedisOutageIT {

    @RegisterExtension
    static final RunningHelpstream HELPSTREAM = new RunningHelpstream();

    @Test
    void should_answer_every_scenario_message_when_redis_is_unreachable() throws IOException {
        Deployment deployment = HELPSTREAM.deployment(Map.of("REDIS_URL", "redis://127.0.0.1:" + closedPort()));
        Application app = deployment.start();
        List<Exchange> exchanges = new ArrayList<>();
        try (GatewayClient gateway = new GatewayClient(app.bootstrapServers(), deployment.topics())) {
            for (List<String> scenario : List.of(SeedScenarios.DATABASE, SeedScenarios.CACHING,
                    SeedScenarios.SESSION)) {
                exchanges.addAll(Exchange.play(gateway, "outage-" + UUID.randomUUID(), SeedScenarios.EMAIL,
                        scenario));
            }
        }

        assertThat(exchanges).hasSize(11).allSatisfy(exchange -> {
            assertThat(exchange.reply().getDegraded()).isFalse();
            assertThat(exchange.reply().getModel()).isEqualTo(OfflineChatModel.MODEL_NAME);
            assertThat(exchange.replyText()).doesNotContain("having trouble");
        });
        assertThat(exchanges.get(0).replyText()).contains("Support ticket TICK-").contains("created");
        assertThat(exchanges.get(4).replyText()).contains("premium tier");
        assertThat(exchanges.get(5).replyText()).contains(SeedScenarios.RETURN_POLICY);
        assertThat(count(app, "helpstream.turns", "failed")).isZero();
        assertThat(count(app, "helpstream.cache.requests", "error")).as("cache requests that failed")
                .isPositive();
        assertThat(count(app, "helpstream.cache.requests", "hit")).isZero();
    }

    /** A port nothing listens on: bound, then released. */
    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 0, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static double count(Application app, String name, String result) {
        return app.registry().find(name).tag("result", result).counters().stream().mapToDouble(c -> c.count()).sum();
    }
}
