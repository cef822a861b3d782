package io.helpstream.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import io.helpstream.agent.openai.ModelUnavailableException;
import io.helpstream.client.CustomerMessages;
import io.helpstream.client.GatewayClient;
import io.helpstream.contract.Topics;
import io.helpstream.schema.CustomerMessage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * With {@code HELPSTREAM_LOG_FORMAT=json} every line is a JSON object, and every line a turn logs, on its own thread
 * or on the stream thread applying it, carries the conversation, the message and the trace id of the gateway.
 */
class JsonLogsIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TRACE_ID = "5b8efff798038103d269b633813fc60c";

    @RegisterExtension
    static final RunningHelpstream HELPSTREAM = new RunningHelpstream();

    /** The configured model is down for "unavailable" and breaks on "broken"; the offline one answers the rest. */
    private static final ChatModel FLAKY = new ChatModel() {
        @Override
        public ChatResponse doChat(ChatRequest request) {
            String text = lastUserText(request.messages());
            if (text.contains("broken")) {
                throw new IllegalStateException("the model broke");
            }
            throw new ModelUnavailableException("server_error", "the model call failed: server_error", null);
        }
    };

    @Test
    void should_put_the_conversation_message_and_trace_ids_in_every_line_of_a_turn() {
        Deployment deployment = HELPSTREAM.deployment(Map.of("HELPSTREAM_MAX_TURN_ATTEMPTS", "1"));
        List<String> lines;
        try (LogLines logs = LogLines.json()) {
            Application app = deployment.start(FLAKY);
            String conversation = "json-logs-" + UUID.randomUUID();
            CustomerMessage unavailable = CustomerMessages.of(conversation, SeedScenarios.EMAIL,
                    "unavailable: what is your return policy?");
            CustomerMessage broken = CustomerMessages.of(conversation, SeedScenarios.EMAIL, "broken: hello");
            try (GatewayClient gateway = new GatewayClient(app.bootstrapServers(), deployment.topics())) {
                send(app, deployment, unavailable);
                gateway.awaitReply(unavailable.getMessageId(), Duration.ofSeconds(60));
                send(app, deployment, broken);
                gateway.awaitReply(broken.getMessageId(), Duration.ofSeconds(60));
            }
            deployment.close();
            lines = logs.lines();
        }

        List<JsonNode> objects = lines.stream().map(JsonLogsIT::parse).toList();
        List<JsonNode> turnLines = objects.stream().filter(line -> line.path("thread_name").asText()
                .startsWith("helpstream-turn-") || line.path("message").asText().contains("is answered with the "
                + "apology")).toList();
        assertThat(turnLines).as("lines of the two turns").hasSizeGreaterThanOrEqualTo(3);
        assertThat(turnLines).allSatisfy(line -> {
            assertThat(line.path("conversationId").asText()).as(line.toString()).startsWith("json-logs-");
            assertThat(line.path("messageId").asText()).as(line.toString()).isNotBlank();
            assertThat(line.path("traceId").asText()).as(line.toString()).isEqualTo(TRACE_ID);
        });
        assertThat(turnLines).anySatisfy(line -> assertThat(line.path("thread_name").asText())
                .as("a line of the stream thread applying a turn").contains("StreamThread"));
    }

    private static void send(Application app, Deployment deployment, CustomerMessage message) {
        Map<String, Object> config = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, app.bootstrapServers());
        try (KafkaProducer<String, CustomerMessage> producer = new KafkaProducer<>(config, new StringSerializer(),
                Topics.CUSTOMER_MESSAGE.serializer())) {
            ProducerRecord<String, CustomerMessage> record = new ProducerRecord<>(
                    deployment.topics().customerMessages().name(), message.getConversationId(), message);
            String span = UUID.randomUUID().toString().replace("-", "").substring(0, 16);
            record.headers().add("traceparent", ("00-" + TRACE_ID + "-" + span + "-01")
                    .getBytes(StandardCharsets.UTF_8));
            producer.send(record);
        }
    }

    private static JsonNode parse(String line) {
        assertThat(line).endsWith("\n");
        assertThat(line.strip()).as("one line").doesNotContain("\n");
        try {
            return JSON.readTree(line);
        } catch (IOException e) {
            throw new UncheckedIOException("not a JSON object: " + line, e);
        }
    }

    private static String lastUserText(List<ChatMessage> messages) {
        for (int i = messages.size() - 1; i >= 0; i--) {
            if (messages.get(i) instanceof UserMessage user && user.hasSingleText()) {
                return user.singleText();
            }
        }
        return "";
    }
}
