package io.helpstream.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.helpstream.agent.openai.ScriptedModelServer;
import io.helpstream.agent.openai.ScriptedResponse;
import io.helpstream.client.GatewayClient;
import io.helpstream.schema.AgentReply;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What an operator's log collection would keep (every line at INFO and above, as the production configuration prints
 * it) holds none of a customer's words, email or phone number: not through the offline model's conversation with its
 * look-ups, an identity mismatch, an unreadable record and a planted cache value, and not through the OpenAI path
 * when the model server's error body quotes the customer.
 */
class LogPrivacyIT {

    @RegisterExtension
    static final RunningHelpstream HELPSTREAM = new RunningHelpstream();

    private static final String EMAIL = PrivateData.EMAIL;
    private static final String SECRET = PrivateData.SECRET;
    private static final List<String> FORBIDDEN = java.util.stream.Stream.concat(PrivateData.FORBIDDEN.stream(),
            java.util.stream.Stream.of("mallory")).toList();

    private static ScriptedModelServer server;

    @BeforeAll
    static void startServer() {
        server = ScriptedModelServer.start();
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    @Test
    void should_log_no_customer_text_email_or_phone_at_info_or_above_with_the_offline_model() throws Exception {
        try (LogLines logs = new LogLines()) {
            Deployment deployment = HELPSTREAM.deployment();
            Application app = deployment.start();
            try (GatewayClient gateway = new GatewayClient(app.bootstrapServers(), deployment.topics())) {
                Exchange.say(gateway, "logs-1", EMAIL, "Hi, I'm john@example.com and I need help with my laptop");
                Exchange.say(gateway, "logs-1", EMAIL, "I want to check the status of my existing tickets");
                // A look-up served from a planted cache value, then a message of another customer in the bound
                // conversation, then bytes that are no message: each logs a warning.
                HELPSTREAM.redis().redis().keys(HELPSTREAM.redis().prefix() + "customer:*").forEach(key ->
                        HELPSTREAM.redis().redis().set(key, "{\"customer\":{\"email\":\"" + EMAIL + "\"}} " + SECRET));
                Exchange.say(gateway, "logs-1", EMAIL, "Look up customer john@example.com, " + SECRET);
                gateway.send("logs-1", "mallory@example.com", SECRET);
                sendRaw(app.bootstrapServers(), deployment.topics().customerMessages().name(), "logs-1",
                        ("\u0042" + SECRET + " " + EMAIL).getBytes(StandardCharsets.UTF_8));
                Exchange.say(gateway, "logs-1", EMAIL, "Thanks, " + SECRET);
            } finally {
                app.close();
            }
            assertThat(logs.lines()).as("warnings were logged").anyMatch(line -> line.contains(" WARN "))
                    .allSatisfy(line -> assertThat(line).doesNotContain(FORBIDDEN));
        }
    }

    @Test
    void should_log_no_word_of_a_model_error_body_that_quotes_the_customer() {
        // The server fails every call, quoting the customer's last message in its error body.
        server.otherwise(request -> ScriptedResponse.error(500, "could not process: '" + request.lastText("user")
                + "'"));
        try (LogLines logs = new LogLines()) {
            Deployment deployment = HELPSTREAM.deployment(Map.of("HELPSTREAM_MODEL", "openai",
                    "OPENAI_API_KEY", ScriptedModelServer.API_KEY, "OPENAI_BASE_URL", server.baseUrl(),
                    "OPENAI_MODEL", ScriptedModelServer.MODEL, "OPENAI_MAX_RETRIES", "1",
                    "OPENAI_RETRY_INITIAL_BACKOFF", "10ms", "OPENAI_TIMEOUT", "5s"));
            Application app = deployment.start();
            try (GatewayClient gateway = new GatewayClient(app.bootstrapServers(), deployment.topics())) {
                AgentReply reply = Exchange.say(gateway, "logs-2", EMAIL, "Hi, I'm john@example.com: " + SECRET)
                        .reply();
                assertThat(reply.getDegraded()).as("answered by the fallback model").isTrue();
            } finally {
                app.close();
            }
            assertThat(server.received()).as("the model server saw the text it echoed").isNotEmpty();
            assertThat(logs.lines()).anyMatch(line -> line.contains("fallback model"))
                    .allSatisfy(line -> assertThat(line).doesNotContain(FORBIDDEN));
        }
    }

    private static void sendRaw(String bootstrap, String topic, String key, byte[] value) throws Exception {
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap), new ByteArraySerializer(),
                new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(topic, key.getBytes(StandardCharsets.UTF_8), value)).get();
        }
    }
}
