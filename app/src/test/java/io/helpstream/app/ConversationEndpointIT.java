package io.helpstream.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.helpstream.client.GatewayClient;
import io.helpstream.config.HelpstreamConfig;
import io.helpstream.ops.HttpProbe;
import io.helpstream.ops.Operations;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code GET /conversations/{id}} on two instances of one deployment: whichever is asked, the answer is the state the
 * owning instance holds (the other forwards the request to it), behind the admin token.
 */
class ConversationEndpointIT {

    private static final String TOKEN = "conversation-endpoint-admin-token-0123456789";
    private static final String BEARER = "Bearer " + TOKEN;

    @RegisterExtension
    static final RunningHelpstream HELPSTREAM = new RunningHelpstream();

    private static Deployment deployment;
    private static final List<Operations> operations = new ArrayList<>();
    private static final List<Application> apps = new ArrayList<>();
    private static final List<HttpProbe> probes = new ArrayList<>();

    @BeforeAll
    static void startTwoInstances() {
        deployment = HELPSTREAM.deployment(Map.of("HELPSTREAM_ADMIN_TOKEN", TOKEN));
        for (int i = 0; i < 2; i++) {
            int port = HttpProbe.freePort();
            HelpstreamConfig config = deployment.instanceConfig(Map.of("HELPSTREAM_HTTP_PORT", String.valueOf(port),
                    "HELPSTREAM_HTTP_BIND", "127.0.0.1", "HELPSTREAM_ADVERTISED_URL", "http://127.0.0.1:" + port));
            PrometheusMeterRegistry registry = Metrics.prometheus();
            Operations ops = Operations.start(config.http(), registry);
            operations.add(ops);
            Application app = Application.builder(config).registry(registry).build();
            apps.add(app);
            ops.serve(app);
            probes.add(new HttpProbe(ops.address()));
        }
        apps.forEach(Application::start);
        awaitEachOwningATask(Duration.ofSeconds(90));
    }

    @AfterAll
    static void stop() {
        apps.forEach(Application::close);
        operations.forEach(Operations::close);
    }

    @Test
    void should_return_the_same_state_whichever_instance_is_asked() {
        List<String> conversations = new ArrayList<>();
        try (GatewayClient gateway = new GatewayClient(apps.get(0).bootstrapServers(), deployment.topics())) {
            for (int i = 0; i < 6; i++) {
                String id = "state-" + i + "-" + UUID.randomUUID();
                Exchange.play(gateway, id, SeedScenarios.EMAIL, List.of("Hi, I need help with my order",
                        "My order number is #12345"));
                conversations.add(id);
            }
        }

        Set<String> servers = new HashSet<>();
        for (String id : conversations) {
            HttpProbe.Answer first = probes.get(0).get("/conversations/" + id, BEARER);
            HttpProbe.Answer second = probes.get(1).get("/conversations/" + id, BEARER);

            assertThat(first.status()).as(first.body()).isEqualTo(200);
            assertThat(second.status()).as(second.body()).isEqualTo(200);
            assertThat(first.json()).as("the state %s gives", id).isEqualTo(second.json());
            assertThat(first.header("X-Helpstream-Served-By")).isEqualTo(second.header("X-Helpstream-Served-By"));
            servers.add(first.header("X-Helpstream-Served-By"));
            JsonNode state = first.json();
            assertThat(state.path("conversationId").asText()).isEqualTo(id);
            assertThat(state.path("customer").path("email").asText()).isEqualTo(SeedScenarios.EMAIL);
            assertThat(state.path("customer").path("trust").asText()).isEqualTo("verified");
            assertThat(state.path("messageCount").asInt()).isEqualTo(2);
            assertThat(state.path("turnCount").asInt()).isEqualTo(2);
            assertThat(state.path("context").path("order_number").asText()).contains("12345");
            assertThat(state.path("history")).hasSize(2);
            assertThat(state.path("history").get(1).path("userText").asText()).isEqualTo("My order number is #12345");
            assertThat(state.path("pending")).isEmpty();
        }
        assertThat(servers).as("both instances own some of the conversations").hasSize(2);
    }

    @Test
    void should_answer_404_for_a_conversation_no_instance_holds() {
        for (HttpProbe probe : probes) {
            assertThat(probe.get("/conversations/never-" + UUID.randomUUID(), BEARER).status()).isEqualTo(404);
        }
    }

    @Test
    void should_answer_401_without_the_token_or_with_another() {
        for (HttpProbe probe : probes) {
            HttpProbe.Answer none = probe.get("/conversations/any");
            assertThat(none.status()).isEqualTo(401);
            assertThat(none.header("WWW-Authenticate")).startsWith("Bearer");
            assertThat(probe.get("/conversations/any", "Bearer " + TOKEN.substring(1)).status()).isEqualTo(401);
            assertThat(probe.get("/conversations/any", TOKEN).status()).isEqualTo(401);
        }
    }

    private static void awaitEachOwningATask(Duration within) {
        long deadline = System.nanoTime() + within.toNanos();
        while (!apps.stream().allMatch(app -> app.state() == org.apache.kafka.streams.KafkaStreams.State.RUNNING
                && app.streams().metadataForLocalThreads().stream().mapToInt(t -> t.activeTasks().size()).sum() == 1)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the two instances did not share the two partitions within " + within);
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }
}
