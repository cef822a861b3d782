package io.helpstream.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.helpstream.client.CustomerMessages;
import io.helpstream.client.GatewayClient;
import io.helpstream.contract.Topics;
import io.helpstream.schema.CustomerMessage;
import io.helpstream.telemetry.GenAi;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A gateway's trace goes on through helpstream: the trace id it puts on a message ({@code traceparent}) is on the
 * reply and the ticket event, and the spans exported for the turn, its model calls and its tool calls belong to it,
 * with the GenAI attributes and without anything the customer wrote.
 */
class TracingIT {

    private static final String TRACE_ID = "0af7651916cd43dd8448eb211c80319c";
    private static final String GATEWAY_SPAN = "b7ad6b7169203331";
    private static final String TEXT = SeedScenarios.DATABASE.get(0);

    @RegisterExtension
    static final RunningHelpstream HELPSTREAM = new RunningHelpstream();

    private static final InMemorySpanExporter exporter = InMemorySpanExporter.create();
    private static OpenTelemetrySdk sdk;
    private static Deployment deployment;
    private static Application app;

    @BeforeAll
    static void start() {
        sdk = OpenTelemetrySdk.builder().setTracerProvider(SdkTracerProvider.builder()
                .addSpanProcessor(SimpleSpanProcessor.create(exporter)).build()).build();
        deployment = HELPSTREAM.deployment();
        app = Application.builder(deployment.instanceConfig(Map.of())).registry(new SimpleMeterRegistry())
                .openTelemetry(sdk).build().start();
    }

    @AfterAll
    static void stop() {
        if (app != null) {
            app.close();
        }
        sdk.close();
    }

    @Test
    void should_carry_the_gateway_trace_to_the_reply_the_ticket_event_and_the_exported_spans() {
        String conversation = "traced-" + UUID.randomUUID();
        CustomerMessage message = CustomerMessages.of(conversation, SeedScenarios.EMAIL, TEXT);
        send(message, "00-" + TRACE_ID + "-" + GATEWAY_SPAN + "-01");
        try (GatewayClient gateway = new GatewayClient(app.bootstrapServers(), deployment.topics())) {
            gateway.awaitReply(message.getMessageId(), Duration.ofSeconds(60));
        }

        ConsumerRecord<String, byte[]> reply = CommittedRecords.read(app.bootstrapServers(),
                deployment.topics().agentReplies().name()).stream()
                .filter(record -> Topics.AGENT_REPLY.decode(record.value()).getInReplyTo()
                        .equals(message.getMessageId())).findFirst().orElseThrow();
        ConsumerRecord<String, byte[]> event = CommittedRecords.read(app.bootstrapServers(),
                deployment.topics().ticketEvents().name()).stream()
                .filter(record -> Topics.TICKET_EVENT.decode(record.value()).getMessageId()
                        .equals(message.getMessageId())).findFirst().orElseThrow();
        List<SpanData> spans = exporter.getFinishedSpanItems().stream()
                .filter(span -> span.getTraceId().equals(TRACE_ID)).toList();

        SpanData turn = spans.stream().filter(span -> span.getKind() == SpanKind.CONSUMER).findFirst().orElseThrow();
        assertThat(turn.getParentSpanId()).isEqualTo(GATEWAY_SPAN);
        assertThat(turn.getAttributes().get(GenAi.CONVERSATION_ID)).isEqualTo(conversation);
        assertThat(traceparent(reply)).isEqualTo("00-" + TRACE_ID + "-" + turn.getSpanId() + "-01");
        assertThat(traceparent(event)).isEqualTo(traceparent(reply));

        List<SpanData> modelCalls = spans.stream().filter(span -> span.getKind() == SpanKind.CLIENT).toList();
        assertThat(modelCalls).isNotEmpty().allSatisfy(call -> {
            assertThat(call.getParentSpanId()).isEqualTo(turn.getSpanId());
            assertThat(call.getName()).startsWith("chat");
            assertThat(call.getAttributes().get(GenAi.RESPONSE_MODEL)).isEqualTo("helpstream-offline-1");
            assertThat(call.getAttributes().get(GenAi.INPUT_TOKENS)).isPositive();
            assertThat(call.getAttributes().get(GenAi.OUTPUT_TOKENS)).isPositive();
            assertThat(call.getAttributes().get(GenAi.FINISH_REASONS)).isNotEmpty();
        });
        assertThat(spans).filteredOn(span -> span.getName().startsWith("execute_tool"))
                .extracting(span -> span.getAttributes().get(GenAi.TOOL_NAME))
                .contains("lookupCustomer", "createTicket");
        assertThat(spans).filteredOn(span -> span.getName().startsWith("execute_tool"))
                .allSatisfy(tool -> assertThat(tool.getParentSpanId()).isEqualTo(turn.getSpanId()));
        assertThat(spans).allSatisfy(span -> span.getAttributes().forEach((key, value) -> {
            assertThat(String.valueOf(value)).as("%s of %s", key, span.getName())
                    .doesNotContain(SeedScenarios.EMAIL).doesNotContain("laptop");
        }));
    }

    private static void send(CustomerMessage message, String traceparent) {
        Map<String, Object> config = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, app.bootstrapServers());
        try (KafkaProducer<String, CustomerMessage> producer = new KafkaProducer<>(config, new StringSerializer(),
                Topics.CUSTOMER_MESSAGE.serializer())) {
            ProducerRecord<String, CustomerMessage> record = new ProducerRecord<>(
                    deployment.topics().customerMessages().name(), message.getConversationId(), message);
            record.headers().add("traceparent", traceparent.getBytes(StandardCharsets.UTF_8));
            producer.send(record);
        }
    }

    private static String traceparent(ConsumerRecord<String, byte[]> record) {
        Header header = record.headers().lastHeader("traceparent");
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
