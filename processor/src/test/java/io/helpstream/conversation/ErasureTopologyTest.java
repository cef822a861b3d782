package io.helpstream.conversation;

import static io.helpstream.conversation.TopologyHarness.message;
import static org.assertj.core.api.Assertions.assertThat;

import io.helpstream.contract.ConversationKeys;
import io.helpstream.contract.ConversationStores;
import io.helpstream.contract.Topics;
import io.helpstream.schema.AgentReply;
import io.helpstream.schema.AuditCategory;
import io.helpstream.schema.AuditRecord;
import io.helpstream.schema.TokenUsage;
import io.helpstream.turn.Agent;
import io.helpstream.turn.TurnOutcome;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An erase command removes its conversation from the stores on the task's stream thread and audits it; a turn that
 * was running for it is discarded, and the conversation's next message is answered as a new one.
 */
class ErasureTopologyTest {

    @TempDir
    Path stateDir;

    private final CountDownLatch release = new CountDownLatch(1);

    private Agent agent() {
        return request -> {
            if (request.message().getText().equals("hold")) {
                release.await();
            }
            return TurnOutcome.builder().replyText("answer to " + request.message().getText()).model("fake")
                    .usage(new TokenUsage(0, 0, 0)).build();
        };
    }

    @Test
    void should_remove_the_conversation_from_every_store_and_audit_it() {
        try (TopologyHarness h = new TopologyHarness(agent(), 2, ConversationSettings.defaults(), stateDir)) {
            TestOutputTopic<String, AuditRecord> audit = audit(h);
            h.send(message("c1", "m1", "hello"));
            h.send(message("c2", "m2", "hello too"));
            h.awaitReplies(2);

            erase(h, "c1", "request-1");

            assertThat(h.state("c1")).isNull();
            assertThat(entries(h, ConversationStores.HISTORY, "c1")).isZero();
            assertThat(entries(h, ConversationStores.PENDING, "c1")).isZero();
            assertThat(h.state("c2")).isNotNull();
            assertThat(entries(h, ConversationStores.HISTORY, "c2")).isEqualTo(1);
            assertThat(audit.readValuesToList()).singleElement().satisfies(record -> {
                assertThat(record.getConversationId()).isEqualTo("c1");
                assertThat(record.getCategory()).isEqualTo(AuditCategory.IDENTITY);
                assertThat(record.getAction()).isEqualTo(ControlTopic.ERASED);
                assertThat(record.getReason()).contains("request-1");
            });
        }
    }

    @Test
    void should_discard_a_running_turn_and_answer_the_next_message_as_a_new_conversation() {
        try (TopologyHarness h = new TopologyHarness(agent(), 2, ConversationSettings.defaults(), stateDir)) {
            h.send(message("c1", "m1", "hold"));
            erase(h, "c1", "request-1");
            h.send(message("c1", "m2", "am I new?"));
            release.countDown();

            List<AgentReply> replies = h.awaitReplies(1);

            assertThat(replies).singleElement().satisfies(reply -> {
                assertThat(reply.getInReplyTo()).isEqualTo("m2");
                assertThat(reply.getText()).isEqualTo("answer to am I new?");
            });
            assertThat(h.state("c1").getMessageCount()).isEqualTo(1);
        }
    }

    @Test
    void should_audit_an_erasure_of_a_conversation_no_store_holds() {
        try (TopologyHarness h = new TopologyHarness(agent(), 2, ConversationSettings.defaults(), stateDir)) {
            TestOutputTopic<String, AuditRecord> audit = audit(h);

            erase(h, "never", "request-2");

            assertThat(audit.readValuesToList()).singleElement()
                    .satisfies(record -> assertThat(record.getReason()).startsWith("nothing stored"));
        }
    }

    /** How many records a store keyed by (conversation, sequence) holds for the conversation. */
    private static int entries(TopologyHarness h, String store, String conversationId) {
        KeyValueStore<Bytes, byte[]> entries = h.driver.getKeyValueStore(store);
        int count = 0;
        try (KeyValueIterator<Bytes, byte[]> range = entries.range(
                Bytes.wrap(ConversationKeys.entry(conversationId, 0)),
                Bytes.wrap(ConversationKeys.entry(conversationId, Long.MAX_VALUE)))) {
            while (range.hasNext()) {
                range.next();
                count++;
            }
        }
        return count;
    }

    private static TestOutputTopic<String, AuditRecord> audit(TopologyHarness h) {
        return h.driver.createOutputTopic(TopologyHarness.TOPICS.audit().name(), Serdes.String().deserializer(),
                Topics.AUDIT_RECORD.deserializer());
    }

    private static void erase(TopologyHarness h, String conversationId, String request) {
        ProducerRecord<String, byte[]> record = TopologyHarness.CONTROL.erase(0, conversationId, request);
        h.control.pipeInput(new TestRecord<>(record.key(), record.value(), record.headers()));
    }
}
