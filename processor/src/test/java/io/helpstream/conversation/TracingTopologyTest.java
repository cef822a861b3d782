package io.helpstream.conversation;

import static io.helpstream.conversation.TopologyHarness.message;
import static org.assertj.core.api.Assertions.assertThat;

import io.helpstream.schema.AgentReply;
import io.helpstream.schema.CustomerMessage;
import io.helpstream.schema.TokenUsage;
import io.helpstream.telemetry.Tracing;
import io.helpstream.turn.Agent;
import io.helpstream.turn.TurnOutcome;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A turn continues the trace its message arrived with: its span is a child of the message's {@code traceparent},
 * the agent runs inside it, and the reply carries the turn's trace context.
 */
class TracingTopologyTest {

    private static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
    private static final String GATEWAY_SPAN = "00f067aa0ba902b7";
    private static final String TRACEPARENT = "00-" + TRACE_ID + "-" + GATEWAY_SPAN + "-01";

    @TempDir
    Path stateDir;

    private final InMemorySpanExporter exporter = InMemorySpanExporter.create();
    private final OpenTelemetrySdk sdk = OpenTelemetrySdk.builder().setTracerProvider(SdkTracerProvider.builder()
            .addSpanProcessor(SimpleSpanProcessor.create(exporter)).build()).build();
    private final List<SpanContext> seenByAgent = new CopyOnWriteArrayList<>();

    @AfterEach
    void closeSdk() {
        sdk.close();
    }

    private Agent agent() {
        return request -> {
            seenByAgent.add(Span.current().getSpanContext());
            return TurnOutcome.builder().replyText("ok").model("fake").usage(new TokenUsage(0, 0, 0)).build();
        };
    }

    @Test
    void should_continue_the_message_trace_in_the_turn_and_put_it_on_the_reply() {
        try (TopologyHarness h = new TopologyHarness(agent(), 2, ConversationSettings.defaults(), stateDir,
                Tracing.of(sdk))) {
            send(h, message("c1", "m1", "hello"), TRACEPARENT);

            TestRecord<String, AgentReply> reply = awaitReply(h);

            List<SpanData> turns = exporter.getFinishedSpanItems();
            assertThat(turns).singleElement().satisfies(turn -> {
                assertThat(turn.getName()).isEqualTo(TurnTraces.SPAN_NAME);
                assertThat(turn.getKind()).isEqualTo(SpanKind.CONSUMER);
                assertThat(turn.getTraceId()).isEqualTo(TRACE_ID);
                assertThat(turn.getParentSpanId()).isEqualTo(GATEWAY_SPAN);
                assertThat(turn.getAttributes().get(TurnTraces.MESSAGE_ID)).isEqualTo("m1");
                assertThat(turn.getAttributes().get(TurnTraces.RESULT)).isEqualTo("succeeded");
                assertThat(seenByAgent).singleElement().satisfies(current ->
                        assertThat(current.getSpanId()).as("the agent runs in the turn's span")
                                .isEqualTo(turn.getSpanId()));
            });
            assertThat(traceparent(reply)).isEqualTo("00-" + TRACE_ID + "-" + turns.get(0).getSpanId()
                    + "-01");
        }
    }

    @Test
    void should_start_a_trace_of_its_own_for_a_message_without_one_or_with_a_bad_one() {
        try (TopologyHarness h = new TopologyHarness(agent(), 2, ConversationSettings.defaults(), stateDir,
                Tracing.of(sdk))) {
            send(h, message("c1", "m1", "hello"), "00-not-a-trace-01");

            TestRecord<String, AgentReply> reply = awaitReply(h);

            SpanData turn = exporter.getFinishedSpanItems().get(0);
            assertThat(turn.getParentSpanContext().isValid()).isFalse();
            assertThat(traceparent(reply)).contains(turn.getTraceId());
        }
    }

    @Test
    void should_carry_the_gateway_trace_id_to_the_reply_with_tracing_off() {
        try (TopologyHarness h = new TopologyHarness(agent(), 2, ConversationSettings.defaults(), stateDir,
                Tracing.off())) {
            send(h, message("c1", "m1", "hello"), TRACEPARENT);

            assertThat(traceparent(awaitReply(h))).isEqualTo(TRACEPARENT);
        }
    }

    private static void send(TopologyHarness h, CustomerMessage message, String traceparent) {
        RecordHeaders headers = new RecordHeaders();
        headers.add(Tracing.TRACEPARENT, traceparent.getBytes(StandardCharsets.UTF_8));
        h.messages.pipeInput(new TestRecord<>(message.getConversationId(), message, headers));
    }

    private static TestRecord<String, AgentReply> awaitReply(TopologyHarness h) {
        List<TestRecord<String, AgentReply>> replies = new java.util.ArrayList<>();
        h.pumpUntil(() -> {
            replies.addAll(h.replies.readRecordsToList());
            return !replies.isEmpty();
        });
        return replies.get(0);
    }

    private static String traceparent(TestRecord<String, AgentReply> reply) {
        Header header = reply.headers().lastHeader(Tracing.TRACEPARENT);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
