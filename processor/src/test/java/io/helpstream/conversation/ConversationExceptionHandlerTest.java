package io.helpstream.conversation;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProcessingExceptionHandler.Response;
import org.apache.kafka.streams.errors.ProcessingExceptionHandler.Result;
import org.apache.kafka.streams.processor.TaskId;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ConversationExceptionHandlerTest {

    private final ConversationExceptionHandler handler = new ConversationExceptionHandler();

    @BeforeEach
    void configure() {
        handler.configure(Map.of(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG, "dead"));
    }

    @Test
    void should_dead_letter_a_record_that_failed_in_process_and_go_on() {
        byte[] key = "c1".getBytes(StandardCharsets.UTF_8);
        byte[] value = {1, 2, 3};
        Response response = handler.handleError(new Context("support.customer-messages", 0, 7, key, value),
                null, new IllegalStateException("boom"));

        assertThat(response.result()).isEqualTo(Result.RESUME);
        assertThat(response.deadLetterQueueRecords()).singleElement().satisfies(record -> {
            assertThat(record.topic()).isEqualTo("dead");
            assertThat(record.key()).isEqualTo(key);
            assertThat(record.value()).isEqualTo(value);
        });
    }

    @Test
    void should_fail_the_task_when_a_punctuation_fails_so_its_transaction_aborts() {
        // A punctuation has no source record: Kafka Streams gives it topic null and offset -1.
        Response response = handler.handleError(new Context(null, -1, -1, null, null), null,
                new IllegalStateException("store write failed half way through applying a turn"));

        assertThat(response.result()).isEqualTo(Result.FAIL);
        assertThat(response.deadLetterQueueRecords()).isEmpty();
    }

    private record Context(String topic, int partition, long offset, byte[] sourceRawKey, byte[] sourceRawValue)
            implements ErrorHandlerContext {
        @Override
        public Headers headers() {
            return new RecordHeaders();
        }

        @Override
        public String processorNodeId() {
            return "conversations";
        }

        @Override
        public TaskId taskId() {
            return new TaskId(0, 0);
        }

        @Override
        public long timestamp() {
            return 0;
        }
    }
}
