package io.helpstream.app;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.helpstream.protection.Redaction;
import io.helpstream.turn.TurnLogContext;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/** {@code HELPSTREAM_LOG_FORMAT=json}: one JSON object per line, the logging context in it, stack traces redacted. */
class JsonLogFormatTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void should_write_one_json_object_per_line_with_the_turns_logging_context() throws Exception {
        try (LogLines logs = LogLines.json()) {
            MDC.put(TurnLogContext.CONVERSATION_ID, "c-1");
            MDC.put(TurnLogContext.MESSAGE_ID, "m-1");
            MDC.put(TurnLogContext.TRACE_ID, "0af7651916cd43dd8448eb211c80319c");
            try {
                LoggerFactory.getLogger(JsonLogFormatTest.class).warn("Turn for message {} failed", "m-1");
            } finally {
                MDC.clear();
            }

            assertThat(logs.lines()).singleElement().satisfies(line -> {
                assertThat(line).endsWith("\n").doesNotContain("\n\n");
                assertThat(line.strip()).doesNotContain("\n");
                JsonNode json = JSON.readTree(line);
                assertThat(json.path("message").asText()).isEqualTo("Turn for message m-1 failed");
                assertThat(json.path("level").asText()).isEqualTo("WARN");
                assertThat(json.path("logger_name").asText()).isEqualTo(JsonLogFormatTest.class.getName());
                assertThat(json.path("conversationId").asText()).isEqualTo("c-1");
                assertThat(json.path("messageId").asText()).isEqualTo("m-1");
                assertThat(json.path("traceId").asText()).isEqualTo("0af7651916cd43dd8448eb211c80319c");
            });
        }
    }

    @Test
    void should_leave_out_a_library_message_quoting_the_customer_from_the_stack_trace() throws Exception {
        try (LogLines logs = LogLines.json()) {
            LoggerFactory.getLogger(JsonLogFormatTest.class).error("The update failed", RedactedThrowableConverterTest.failure());

            String line = logs.lines().get(0);
            assertThat(line).doesNotContain("4111");
            assertThat(JSON.readTree(line).path("stack_trace").asText())
                    .contains("java.lang.IllegalStateException: ticket TICK001 could not be updated")
                    .contains("Caused by: java.lang.NumberFormatException: " + Redaction.HIDDEN);
        }
    }

    @Test
    void should_show_every_message_when_the_root_logger_is_at_debug() {
        try (LogLines logs = LogLines.json()) {
            ((Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME)).setLevel(Level.DEBUG);
            LoggerFactory.getLogger(JsonLogFormatTest.class).error("The update failed", RedactedThrowableConverterTest.failure());

            assertThat(logs.lines()).singleElement().satisfies(line -> assertThat(line).contains(RedactedThrowableConverterTest.SECRET));
        }
    }
}
