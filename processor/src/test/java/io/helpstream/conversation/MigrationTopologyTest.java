package io.helpstream.conversation;

import static io.helpstream.conversation.TopologyHarness.message;
import static org.assertj.core.api.Assertions.assertThat;

import io.helpstream.contract.ConversationStores;
import io.helpstream.contract.ReleasedSchemas;
import io.helpstream.contract.Topics;
import io.helpstream.schema.AgentReply;
import io.helpstream.schema.ConversationState;
import io.helpstream.schema.CustomerBinding;
import io.helpstream.schema.HistoryTurn;
import io.helpstream.schema.TokenUsage;
import io.helpstream.turn.TurnOutcome;
import io.helpstream.turn.TurnRequest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.message.BinaryMessageDecoder;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A task whose changelogs restore the single store of version 1 moves each conversation into the split stores and
 * goes on with it: its unanswered message is answered with its history in view, a redelivery of a message it
 * remembered is dropped, and a record that is not a state is dead-lettered instead of stopping the task.
 */
class MigrationTopologyTest {

    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    @TempDir
    Path stateDir;

    private static TurnOutcome echo(TurnRequest request) {
        return TurnOutcome.builder().replyText("echo " + request.userText() + " after "
                        + request.conversation().getHistory().size() + " turns, customer "
                        + request.conversation().getCustomer().getEmail())
                .model("fake").usage(new TokenUsage(1, 1, 2)).build();
    }

    @Test
    void should_move_a_version_1_conversation_into_the_split_stores_and_answer_its_waiting_message() {
        ConversationState old = ConversationState.newBuilder()
                .setConversationId("c1")
                .setCustomer(new CustomerBinding("jane@example.com", "CUST002", "Jane", true))
                .setCreatedAt(T0).setLastActivityAt(T0)
                .setHistory(new ArrayList<>(List.of(turn("m1", "hello"), turn("m2", "my order is late"))))
                .setContext(Map.of("order_number", "#12345"))
                .setInbox(new ArrayList<>(List.of(message("c1", "m3", "any news?"))))
                .setInboxReceivedAt(new ArrayList<>(List.of(T0.toEpochMilli())))
                .setRecentMessageIds(new ArrayList<>(List.of("m1", "m2", "m3")))
                .setMessageCount(3).setTurnCount(2)
                .build();
        byte[] written = writtenWithRelease1(old);
        byte[] garbage = "not a state".getBytes(StandardCharsets.UTF_8);
        StoreSuppliers restored = RestoredStores.empty().legacy("c1", written).legacy("c9", garbage)
                .suppliers(ConversationSettings.DEFAULT_DEDUP_RETENTION);

        try (TopologyHarness h = new TopologyHarness(MigrationTopologyTest::echo, 2,
                ConversationSettings.defaults(), stateDir, restored)) {
            List<AgentReply> replies = h.awaitReplies(1);
            h.send(message("c1", "m2", "my order is late"));
            h.send(message("c1", "m4", "thanks"));
            replies = h.awaitReplies(2);

            assertThat(replies).extracting(AgentReply::getInReplyTo, AgentReply::getText).containsExactly(
                    org.assertj.core.api.Assertions.tuple("m3", "echo any news? after 2 turns, customer "
                            + "jane@example.com"),
                    org.assertj.core.api.Assertions.tuple("m4", "echo thanks after 3 turns, customer "
                            + "jane@example.com"));
            ConversationState now = h.state("c1");
            assertThat(now.getHistory()).extracting(HistoryTurn::getMessageId).containsExactly("m1", "m2", "m3",
                    "m4");
            assertThat(now.getContext()).containsEntry("order_number", "#12345");
            assertThat(now.getMessageCount()).isEqualTo(4);
            assertThat(now.getTurnCount()).isEqualTo(4);
            KeyValueStore<String, byte[]> legacy = h.driver.getKeyValueStore(ConversationStores.LEGACY);
            assertThat(legacy.get("c1")).as("moved out of the version-1 store").isNull();
            assertThat(legacy.get("c9")).isNull();
            List<TestRecord<byte[], byte[]>> dead = h.deadLetters.readRecordsToList();
            assertThat(dead).singleElement().satisfies(record -> {
                assertThat(record.value()).isEqualTo(garbage);
                assertThat(new String(record.headers().lastHeader(DeadLetters.RECORD).value(),
                        StandardCharsets.UTF_8)).isEqualTo(ConversationStores.LEGACY);
            });
        }
    }

    private static HistoryTurn turn(String messageId, String text) {
        return new HistoryTurn(messageId, List.of(), text, T0, List.of(), "reply to " + text, T0);
    }

    /** The state as the released version 1 wrote it: its schema, its fingerprint, without any field added since. */
    private static byte[] writtenWithRelease1(ConversationState state) {
        Schema v1 = ReleasedSchemas.packaged().of(ConversationState.class).get(0);
        assertThat(SchemaNormalization.parsingFingerprint64(v1))
                .as("version 1 differs from the current schema, so this really reads an older record")
                .isNotEqualTo(SchemaNormalization.parsingFingerprint64(ConversationState.getClassSchema()));
        BinaryMessageDecoder<GenericRecord> asV1 = new BinaryMessageDecoder<>(GenericData.get(), v1);
        asV1.addSchema(ConversationState.getClassSchema());
        try {
            GenericRecord record = asV1.decode(Topics.CONVERSATION_STATE.encode(state));
            ByteBuffer buffer = new BinaryMessageEncoder<GenericRecord>(GenericData.get(), v1).encode(record);
            byte[] bytes = new byte[buffer.remaining()];
            buffer.get(bytes);
            return bytes;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
