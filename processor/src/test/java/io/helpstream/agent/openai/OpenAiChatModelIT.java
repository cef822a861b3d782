package io.helpstream.agent.openai;

import static io.helpstream.agent.openai.ScriptedResponse.call;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.helpstream.agent.AgentSettings;
import io.helpstream.agent.Agents;
import io.helpstream.agent.FailingSupportRepository;
import io.helpstream.agent.LangChainAgent;
import io.helpstream.agent.ModelSettings;
import io.helpstream.agent.TestTurns;
import io.helpstream.tools.SupportTools;
import io.helpstream.turn.TurnOutcome;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.ServerSocket;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** The OpenAI client behind the guards, against a scripted server over real HTTP on 127.0.0.1. */
class OpenAiChatModelIT {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final ResilienceSettings fastGuards = ResilienceSettings.builder()
            .maxRetries(2).initialBackoff(Duration.ofMillis(10)).maxBackoff(Duration.ofSeconds(3))
            .breakerWindow(50).permitWait(Duration.ofSeconds(2)).build();
    private ScriptedModelServer server;

    @BeforeEach
    void startServer() {
        server = ScriptedModelServer.start();
    }

    @AfterEach
    void stopServer() {
        server.close();
    }

    private ResilientChatModel model(String baseUrl, ResilienceSettings guards) {
        return Agents.openAi(ModelSettings.openAi(ScriptedModelServer.API_KEY, baseUrl, ScriptedModelServer.MODEL)
                .withTimeout(Duration.ofMillis(500)).withResilience(guards), registry);
    }

    private static ChatRequest hello() {
        return ChatRequest.builder().messages(List.of(UserMessage.from("Hello"))).build();
    }

    private double calls(String result) {
        var counter = registry.find("helpstream.model.calls").tag("result", result).counter();
        return counter == null ? 0 : counter.count();
    }

    @Test
    void should_wait_as_long_as_retry_after_says_then_succeed_when_rate_limited() {
        server.enqueue(ScriptedResponse.error(429, "slow down").withHeader("Retry-After", "1"),
                ScriptedResponse.text("Now it works.", 7, 3));

        long start = System.nanoTime();
        ChatResponse response = model(server.baseUrl(), fastGuards).chat(hello());
        Duration took = Duration.ofNanos(System.nanoTime() - start);

        assertThat(response.aiMessage().text()).isEqualTo("Now it works.");
        // The backoff alone would be ~10 ms; the wait is the server's second.
        assertThat(took).isGreaterThanOrEqualTo(Duration.ofMillis(950));
        assertThat(server.received()).hasSize(2);
        assertThat(calls("rate_limited")).isEqualTo(1);
        assertThat(calls("success")).isEqualTo(1);
        assertThat(registry.get("helpstream.model.tokens").tag("direction", "input").counter().count()).isEqualTo(7);
        assertThat(registry.get("helpstream.model.tokens").tag("direction", "output").counter().count()).isEqualTo(3);
    }

    @Test
    void should_send_the_configured_limit_of_output_tokens_with_every_request() {
        server.enqueue(ScriptedResponse.text("Short."));
        ResilientChatModel limited = Agents.openAi(ModelSettings.openAi(ScriptedModelServer.API_KEY,
                server.baseUrl(), ScriptedModelServer.MODEL).withResilience(fastGuards).withMaxOutputTokens(256),
                registry);

        limited.chat(hello());

        assertThat(server.received()).singleElement()
                .satisfies(request -> assertThat(request.body().path("max_tokens").asInt()).isEqualTo(256));
    }

    @Test
    void should_retry_server_errors_with_backoff_until_the_server_answers() {
        server.enqueue(ScriptedResponse.error(500, "boom"), ScriptedResponse.error(503, "overloaded"),
                ScriptedResponse.text("Recovered."));

        ChatResponse response = model(server.baseUrl(), fastGuards).chat(hello());

        assertThat(response.aiMessage().text()).isEqualTo("Recovered.");
        assertThat(server.received()).hasSize(3);
        assertThat(calls("server_error")).isEqualTo(2);
    }

    @Test
    void should_give_up_after_the_last_retry_with_the_reason() {
        server.otherwise(request -> ScriptedResponse.error(502, "bad gateway"));

        assertThatThrownBy(() -> model(server.baseUrl(), fastGuards).chat(hello()))
                .isInstanceOfSatisfying(ModelUnavailableException.class,
                        e -> assertThat(e.reason()).isEqualTo("server_error"))
                .hasMessageContaining("HTTP 502");
        assertThat(server.received()).hasSize(3);
    }

    @Test
    void should_time_out_a_slow_call_and_retry_it() {
        server.enqueue(ScriptedResponse.text("Too late.").after(Duration.ofSeconds(2)),
                ScriptedResponse.text("In time."));

        ChatResponse response = model(server.baseUrl(), fastGuards).chat(hello());

        assertThat(response.aiMessage().text()).isEqualTo("In time.");
        assertThat(calls("timeout")).isEqualTo(1);
    }

    @Test
    void should_retry_a_refused_connection_and_then_report_the_server_unreachable() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }

        assertThatThrownBy(() -> model("http://127.0.0.1:" + closedPort + "/v1", fastGuards).chat(hello()))
                .isInstanceOfSatisfying(ModelUnavailableException.class,
                        e -> assertThat(e.reason()).isEqualTo("unreachable"));
        assertThat(calls("unreachable")).isEqualTo(3);
    }

    @Test
    void should_log_no_word_of_an_error_body_that_echoes_the_customer_above_debug() {
        String card = "4111 1111 1111 1111";
        server.otherwise(request -> ScriptedResponse.error(500, "could not process: 'my card is " + card + "'"));
        Logger root = (Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME);
        ListAppender<ILoggingEvent> logs = new ListAppender<>();
        logs.start();
        root.addAppender(logs);
        try {
            assertThatThrownBy(() -> model(server.baseUrl(), fastGuards).chat(hello()))
                    .isInstanceOfSatisfying(ModelUnavailableException.class,
                            e -> assertThat(e.getMessage()).doesNotContain(card).contains("HTTP 500"));
        } finally {
            root.detachAppender(logs);
        }
        assertThat(logs.list).filteredOn(event -> event.getLevel().isGreaterOrEqual(Level.INFO)).isNotEmpty()
                .allSatisfy(event -> assertThat(event.getFormattedMessage()).doesNotContain(card));
    }

    @Test
    void should_not_retry_a_rejected_key_and_name_the_setting_in_an_error_log() {
        server.otherwise(request -> ScriptedResponse.error(401, "Incorrect API key provided"));
        Logger logger = (Logger) LoggerFactory.getLogger(ResilientChatModel.class);
        ListAppender<ILoggingEvent> logs = new ListAppender<>();
        logs.start();
        logger.addAppender(logs);
        try {
            assertThatThrownBy(() -> model(server.baseUrl(), fastGuards).chat(hello()))
                    .isInstanceOfSatisfying(ModelUnavailableException.class,
                            e -> assertThat(e.reason()).isEqualTo("authentication"));
        } finally {
            logger.detachAppender(logs);
        }
        assertThat(server.received()).hasSize(1);
        assertThat(logs.list).anySatisfy(event -> {
            assertThat(event.getLevel()).isEqualTo(Level.ERROR);
            assertThat(event.getFormattedMessage()).contains("OPENAI_API_KEY").contains("HTTP 401");
        });
    }

    @Test
    void should_not_retry_a_bad_request() {
        server.otherwise(request -> ScriptedResponse.error(400, "context too long"));

        assertThatThrownBy(() -> model(server.baseUrl(), fastGuards).chat(hello()))
                .isInstanceOfSatisfying(ModelUnavailableException.class,
                        e -> assertThat(e.reason()).isEqualTo("invalid_request"));
        assertThat(server.received()).hasSize(1);
    }

    @Test
    void should_report_a_rejected_key_when_probed_at_start() {
        server.modelsAnswer(ScriptedResponse.error(401, "Incorrect API key provided"));
        ModelSettings settings = ModelSettings.openAi("wrong", server.baseUrl(), ScriptedModelServer.MODEL);

        assertThat(Agents.probe(settings)).isEqualTo(ModelProbe.Result.REJECTED_KEY);
    }

    @Test
    void should_accept_a_listed_model_and_tolerate_a_server_that_is_down_when_probed() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }

        assertThat(Agents.probe(ModelSettings.openAi("k", server.baseUrl(), ScriptedModelServer.MODEL)))
                .isEqualTo(ModelProbe.Result.OK);
        assertThat(Agents.probe(ModelSettings.openAi("k", server.baseUrl(), "no-such-model")))
                .isEqualTo(ModelProbe.Result.MODEL_NOT_LISTED);
        assertThat(Agents.probe(ModelSettings.openAi("k", "http://127.0.0.1:" + closedPort + "/v1", "m")))
                .isEqualTo(ModelProbe.Result.UNREACHABLE);
    }

    @Test
    void should_open_the_breaker_after_failures_then_close_it_when_the_server_recovers() throws Exception {
        ResilientChatModel model = model(server.baseUrl(), fastGuards.toBuilder().maxRetries(0).breakerWindow(2)
                .breakerFailureRate(50).breakerOpenDuration(Duration.ofMillis(400)).build());
        server.otherwise(request -> ScriptedResponse.error(500, "down"));
        for (int i = 0; i < 2; i++) {
            assertThatThrownBy(() -> model.chat(hello())).isInstanceOf(ModelUnavailableException.class);
        }
        assertThat(model.breakerState()).isEqualTo(CircuitBreaker.State.OPEN);

        assertThatThrownBy(() -> model.chat(hello()))
                .isInstanceOfSatisfying(ModelUnavailableException.class,
                        e -> assertThat(e.reason()).isEqualTo("breaker_open"));
        assertThat(server.received()).as("no request while open").hasSize(2);

        server.otherwise(request -> ScriptedResponse.text("Back."));
        Thread.sleep(500);
        assertThat(model.chat(hello()).aiMessage().text()).isEqualTo("Back.");
        assertThat(model.breakerState()).isEqualTo(CircuitBreaker.State.CLOSED);
    }

    @Test
    void should_tell_the_model_when_a_tool_fails_and_pass_on_its_honest_answer() throws Exception {
        server.enqueue(
                ScriptedResponse.toolCalls(20, 5, call("call_1", "lookupCustomer", "{\"email\":\"john@example.com\"}")),
                ScriptedResponse.text("Sorry, our customer system is unavailable right now; please try later."));
        LangChainAgent agent = new LangChainAgent(model(server.baseUrl(), fastGuards),
                SupportTools.create(new FailingSupportRepository(), "agent", Clock.systemUTC()),
                AgentSettings.defaults(), registry);

        TurnOutcome outcome = agent.respond(TestTurns.request(TestTurns.conversation("c-1",
                TestTurns.verified("john@example.com")), "m-1", "Hi, I'm john@example.com"));

        JsonNode toolResult = server.received().get(1).messages().get(server.received().get(1).messages().size() - 1);
        assertThat(toolResult.path("role").asText()).isEqualTo("tool");
        assertThat(toolResult.path("tool_call_id").asText()).isEqualTo("call_1");
        assertThat(toolResult.path("content").asText()).contains("unavailable");
        assertThat(outcome.replyText()).contains("unavailable");
        assertThat(outcome.usage().getModelCalls()).isEqualTo(2);
        assertThat(outcome.usage().getInputTokens()).isEqualTo(30);
        assertThat(outcome.model()).isEqualTo(ScriptedModelServer.MODEL);
    }
}
