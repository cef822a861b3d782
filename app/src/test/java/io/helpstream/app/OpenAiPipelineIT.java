package io.helpstream.app;

import static io.helpstream.agent.openai.ScriptedResponse.call;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import io.helpstream.agent.offline.OfflineChatModel;
import io.helpstream.agent.openai.ResilientChatModel;
import io.helpstream.agent.openai.ScriptedModelServer;
import io.helpstream.agent.openai.ScriptedResponse;
import io.helpstream.app.Application;
import io.helpstream.client.GatewayClient;
import io.helpstream.config.Env;
import io.helpstream.config.HelpstreamConfig;
import io.helpstream.localstack.RedisKeyPrefix;
import io.helpstream.localstack.kafka.KafkaExitGuard;
import io.helpstream.schema.AgentReply;
import io.helpstream.schema.CustomerMessage;
import io.helpstream.schema.TicketEvent;
import io.helpstream.schema.TicketEventType;
import io.helpstream.tickets.Ticket;
import io.helpstream.tickets.postgres.DatabaseSettings;
import io.helpstream.tickets.postgres.PostgresTestDatabase;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.LoggerFactory;

/**
 * The whole pipeline with the OpenAI-compatible model: customer messages through Kafka, the real client against a
 * scripted chat-completions server on 127.0.0.1, tools on PostgreSQL and Redis, replies and ticket events read back
 * from their topics. Ordered: the last test breaks the server on purpose.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OpenAiPipelineIT {

    @RegisterExtension
    static final PostgresTestDatabase DB = PostgresTestDatabase.withSampleData();

    private static final String PROMPT = "You are the scripted test agent of helpstream.";
    private static final Duration WAIT = Duration.ofSeconds(30);

    private static final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private static ScriptedModelServer server;
    private static RedisKeyPrefix redis;
    private static Path promptFile;
    private static Application app;
    private static GatewayClient gateway;

    @BeforeAll
    static void start() throws Exception {
        KafkaExitGuard.preventJvmExit();
        server = ScriptedModelServer.start();
        redis = RedisKeyPrefix.create("openai-it");
        promptFile = Files.createTempFile("helpstream-prompt", ".txt");
        Files.writeString(promptFile, PROMPT);
        DatabaseSettings database = DB.settings().build();
        Map<String, String> env = new HashMap<>();
        env.put("HELPSTREAM_MODEL", "openai");
        env.put("OPENAI_API_KEY", ScriptedModelServer.API_KEY);
        env.put("OPENAI_BASE_URL", server.baseUrl());
        env.put("OPENAI_MODEL", ScriptedModelServer.MODEL);
        env.put("OPENAI_TIMEOUT", "1s");
        env.put("OPENAI_MAX_RETRIES", "2");
        env.put("OPENAI_RETRY_INITIAL_BACKOFF", "50ms");
        env.put("OPENAI_RETRY_MAX_BACKOFF", "2s");
        env.put("OPENAI_BREAKER_WINDOW", "8");
        env.put("OPENAI_BREAKER_FAILURE_RATE", "60");
        env.put("OPENAI_BREAKER_OPEN_DURATION", "2s");
        env.put("HELPSTREAM_SYSTEM_PROMPT_FILE", promptFile.toString());
        env.put("HELPSTREAM_PARTITIONS", "2");
        env.put("DATABASE_URL", database.jdbcUrl());
        if (database.user() != null) {
            env.put("DATABASE_USER", database.user());
        }
        if (database.password() != null) {
            env.put("DATABASE_PASSWORD", database.password());
        }
        env.put("REDIS_URL", redis.url());
        env.put("HELPSTREAM_CACHE_PREFIX", redis.prefix());
        app = Application.start(HelpstreamConfig.fromEnvironment(new Env(env)), registry);
        gateway = new GatewayClient(app.bootstrapServers(), app.config().topics());
    }

    @AfterAll
    static void stop() throws Exception {
        try {
            if (gateway != null) {
                gateway.close();
            }
            if (app != null) {
                app.close();
            }
        } finally {
            server.close();
            redis.close();
            Files.deleteIfExists(promptFile);
            KafkaExitGuard.restoreJvmExit();
        }
    }

    private static AgentReply ask(String conversationId, String text) {
        CustomerMessage message = gateway.send(conversationId, "john@example.com", text);
        return gateway.awaitReply(message.getMessageId(), WAIT);
    }

    @Test
    @Order(1)
    void should_look_up_the_customer_create_a_ticket_and_answer_with_the_remote_model() {
        server.clearReceived();
        server.enqueue(
                ScriptedResponse.toolCalls(100, 10, call("call_a", "lookupCustomer",
                        "{\"email\":\"john@example.com\"}")),
                ScriptedResponse.toolCalls(150, 20, call("call_b", "createTicket",
                        "{\"subject\":\"Laptop will not start\",\"description\":\"It stays black\","
                                + "\"priority\":\"high\"}")),
                ScriptedResponse.text("I have opened a ticket for your laptop, John.", 200, 30));

        CustomerMessage message = gateway.send("conv-openai-1", "john@example.com", "My laptop will not start");
        AgentReply reply = gateway.awaitReply(message.getMessageId(), WAIT);

        assertThat(reply.getText()).isEqualTo("I have opened a ticket for your laptop, John.");
        assertThat(reply.getModel()).isEqualTo(ScriptedModelServer.MODEL);
        assertThat(reply.getDegraded()).isFalse();
        assertThat(reply.getToolsUsed()).containsExactly("lookupCustomer", "createTicket");
        assertThat(reply.getUsage().getInputTokens()).isEqualTo(450);
        assertThat(reply.getUsage().getOutputTokens()).isEqualTo(60);
        assertThat(reply.getUsage().getModelCalls()).isEqualTo(3);

        gateway.poll(Duration.ofMillis(500));
        List<TicketEvent> events = gateway.ticketEventsFor(message.getMessageId());
        assertThat(events).singleElement().satisfies(event -> {
            assertThat(event.getType()).isEqualTo(TicketEventType.CREATED);
            assertThat(event.getSubject()).isEqualTo("Laptop will not start");
        });
        Ticket ticket = DB.repository().findTicket(events.get(0).getTicketId()).orElseThrow();
        assertThat(ticket.subject()).isEqualTo("Laptop will not start");
        assertThat(ticket.description()).isEqualTo("It stays black");

        List<ScriptedModelServer.Received> requests = server.received();
        assertThat(requests).hasSize(3);
        assertThat(requests).allSatisfy(request ->
                assertThat(request.authorization()).isEqualTo("Bearer " + ScriptedModelServer.API_KEY));
        JsonNode first = requests.get(0).messages();
        assertThat(first.get(0).path("role").asText()).isEqualTo("system");
        assertThat(first.get(0).path("content").asText()).isEqualTo(PROMPT);
        assertThat(requests.get(0).lastText("user")).isEqualTo("My laptop will not start");
        assertThat(toolSchema(requests.get(0), "lookupCustomer").path("properties").path("email")
                .path("description").asText()).isEqualTo("The customer's email address");
        assertThat(toolSchema(requests.get(0), "createTicket").path("properties").fieldNames())
                .toIterable().contains("subject", "description", "priority");
        JsonNode second = requests.get(1).messages();
        JsonNode toolResult = second.get(second.size() - 1);
        assertThat(toolResult.path("role").asText()).isEqualTo("tool");
        assertThat(toolResult.path("tool_call_id").asText()).isEqualTo("call_a");
        assertThat(toolResult.path("content").asText()).contains("John");
    }

    @Test
    @Order(2)
    void should_show_the_model_the_history_with_each_tool_call_next_to_its_result() {
        server.clearReceived();
        server.enqueue(ScriptedResponse.text("It is being looked at."));

        AgentReply reply = ask("conv-openai-1", "Any news on my ticket?");

        assertThat(reply.getText()).isEqualTo("It is being looked at.");
        JsonNode messages = server.received().get(0).messages();
        List<String> userTexts = new java.util.ArrayList<>();
        Set<String> requested = new HashSet<>();
        for (JsonNode message : messages) {
            switch (message.path("role").asText()) {
                case "user" -> userTexts.add(message.path("content").asText());
                case "assistant" -> message.path("tool_calls")
                        .forEach(toolCall -> requested.add(toolCall.path("id").asText()));
                case "tool" -> assertThat(requested).as("a tool result follows its call")
                        .contains(message.path("tool_call_id").asText());
                default -> { }
            }
        }
        assertThat(messages.get(0).path("content").asText()).isEqualTo(PROMPT);
        assertThat(userTexts).containsExactly("My laptop will not start", "Any news on my ticket?");
        assertThat(requested).containsExactlyInAnyOrder("call_a", "call_b");
        assertThat(server.allMessageTexts()).contains("assistant: I have opened a ticket for your laptop, John.");
    }

    @Test
    @Order(3)
    void should_wait_for_retry_after_and_answer_normally_when_rate_limited() {
        server.clearReceived();
        server.enqueue(ScriptedResponse.error(429, "Rate limit reached").withHeader("Retry-After", "1"),
                ScriptedResponse.text("Thanks for waiting."));

        AgentReply reply = ask("conv-openai-2", "What are your opening hours?");

        assertThat(reply.getText()).isEqualTo("Thanks for waiting.");
        assertThat(reply.getDegraded()).isFalse();
        assertThat(reply.getLatencyMs()).isGreaterThanOrEqualTo(950);
        assertThat(server.received()).hasSize(2);
    }

    @Test
    @Order(4)
    void should_retry_a_server_error_and_a_slow_answer_then_answer_normally() {
        server.clearReceived();
        server.enqueue(ScriptedResponse.error(500, "Internal error"),
                ScriptedResponse.text("Too late.").after(Duration.ofMillis(2500)),
                ScriptedResponse.text("Here is your answer."));

        AgentReply reply = ask("conv-openai-3", "Can I return a product?");

        assertThat(reply.getText()).isEqualTo("Here is your answer.");
        assertThat(reply.getDegraded()).isFalse();
        assertThat(server.received()).hasSize(3);
        assertThat(registry.get("helpstream.model.calls").tag("result", "timeout").counter().count()).isEqualTo(1);
    }

    @Test
    @Order(5)
    void should_answer_with_the_offline_model_marked_degraded_when_the_key_is_rejected() {
        server.clearReceived();
        server.otherwise(request -> ScriptedResponse.error(401, "Incorrect API key provided"));
        Logger logger = (Logger) LoggerFactory.getLogger(ResilientChatModel.class);
        ListAppender<ILoggingEvent> logs = new ListAppender<>();
        logs.start();
        logger.addAppender(logs);
        AgentReply reply;
        try {
            reply = ask("conv-openai-4", "What is your return policy?");
        } finally {
            logger.detachAppender(logs);
            server.otherwise(request -> ScriptedResponse.text("Scripted answer."));
        }

        assertThat(reply.getDegraded()).isTrue();
        assertThat(reply.getModel()).isEqualTo(OfflineChatModel.MODEL_NAME);
        assertThat(reply.getText()).isNotBlank();
        assertThat(server.received()).as("a rejected key is not retried").hasSize(1);
        assertThat(logs.list).anySatisfy(event -> {
            assertThat(event.getLevel()).isEqualTo(Level.ERROR);
            assertThat(event.getFormattedMessage()).contains("OPENAI_API_KEY");
        });
        assertThat(registry.get("helpstream.turns.degraded").counter().count()).isEqualTo(1);
    }

    @Test
    @Order(6)
    void should_fall_back_while_the_server_is_down_open_the_breaker_and_use_the_server_again_when_it_returns()
            throws Exception {
        int port = server.port();
        server.close();

        AgentReply refused = ask("conv-openai-5", "Hello, is anyone there?");
        assertThat(refused.getDegraded()).isTrue();
        assertThat(refused.getModel()).isEqualTo(OfflineChatModel.MODEL_NAME);
        // Earlier tests left failures in the breaker's window, so it opens on the first refused call.
        assertThat(registry.get("helpstream.model.calls").tag("result", "unreachable").counter().count())
                .isGreaterThanOrEqualTo(1);

        AgentReply whileOpen = ask("conv-openai-5", "Hello again?");
        assertThat(whileOpen.getDegraded()).isTrue();
        assertThat(registry.get("helpstream.model.calls").tag("result", "breaker_open").counter().count())
                .isGreaterThanOrEqualTo(1);

        server = ScriptedModelServer.startOn(port);
        server.otherwise(request -> ScriptedResponse.text("I am back."));
        Thread.sleep(2_100);
        AgentReply recovered = ask("conv-openai-5", "Are you back?");
        assertThat(recovered.getDegraded()).isFalse();
        assertThat(recovered.getText()).isEqualTo("I am back.");
        assertThat(recovered.getModel()).isEqualTo(ScriptedModelServer.MODEL);
        assertThat(registry.get("helpstream.turns.degraded").counter().count()).isEqualTo(3);
    }

    private static JsonNode toolSchema(ScriptedModelServer.Received request, String name) {
        for (JsonNode tool : request.tools()) {
            if (name.equals(tool.path("function").path("name").asText())) {
                assertThat(tool.path("function").path("description").asText()).isNotBlank();
                return tool.path("function").path("parameters");
            }
        }
        throw new AssertionError("tool " + name + " not offered: " + request.tools());
    }
}
