package io.helpstream.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.helpstream.schema.AgentReply;
import io.helpstream.schema.ConversationEnded;
import io.helpstream.schema.ConversationMeta;
import io.helpstream.schema.ConversationState;
import io.helpstream.schema.HistoryTurn;
import io.helpstream.schema.PendingMessage;
import io.helpstream.schema.CustomerMessage;
import io.helpstream.schema.TicketEvent;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.generic.GenericRecordBuilder;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class ReleasedSchemasTest {

    private static final Instant T0 = Instant.parse("2026-01-01T10:00:00Z");

    /**
     * A release older than the current schemas (test resources): ConversationState without turnCount, AgentReply
     * without degraded. The packaged v1 equals the current schemas, so it cannot show an older record being read.
     */
    private static final ReleasedSchemas V0 = ReleasedSchemas.load("released-fixture/");

    @Test
    void should_read_state_written_with_the_previous_schema() {
        Schema v0 = V0.of(ConversationState.class).get(0);
        Schema message = v0.getField("inbox").schema().getElementType();
        GenericRecord pending = new GenericRecordBuilder(message).set("messageId", "m3").set("conversationId", "c1")
                .set("channel", "web").set("text", "still there?").set("sentAt", T0.toEpochMilli()).build();
        GenericRecord state = new GenericRecordBuilder(v0).set("conversationId", "c1")
                .set("createdAt", T0.toEpochMilli()).set("lastActivityAt", T0.plusSeconds(60).toEpochMilli())
                .set("inbox", List.of(pending)).set("inboxReceivedAt", List.of(T0.toEpochMilli()))
                .set("recentMessageIds", List.of("m1", "m2", "m3")).set("messageCount", 3).build();
        byte[] written = encode(v0, state);

        ConversationState read = V0.serde(ConversationState.class).decode(written);

        assertThat(read.getConversationId()).isEqualTo("c1");
        assertThat(read.getLastActivityAt()).isEqualTo(T0.plusSeconds(60));
        assertThat(read.getInbox()).extracting(CustomerMessage::getText).containsExactly("still there?");
        assertThat(read.getRecentMessageIds()).containsExactly("m1", "m2", "m3");
        assertThat(read.getMessageCount()).isEqualTo(3);
        assertThat(read.getTurnCount()).as("the field v0 lacks, filled with its default").isZero();
    }

    @Test
    void should_read_a_reply_written_with_the_previous_schema() {
        Schema v0 = V0.of(AgentReply.class).get(0);
        GenericRecord usage = new GenericRecordBuilder(v0.getField("usage").schema()).set("inputTokens", 120)
                .set("outputTokens", 40).set("modelCalls", 2).build();
        GenericRecord reply = new GenericRecordBuilder(v0).set("replyId", "r1").set("conversationId", "c1")
                .set("inReplyTo", "m1").set("text", "I opened TICK-000001").set("createdAt", T0.toEpochMilli())
                .set("model", "gpt-4o-mini").set("usage", usage).set("toolsUsed", List.of("create_ticket"))
                .set("latencyMs", 1234L).build();

        AgentReply read = V0.serde(AgentReply.class).decode(encode(v0, reply));

        assertThat(read.getText()).isEqualTo("I opened TICK-000001");
        assertThat(read.getUsage().getModelCalls()).isEqualTo(2);
        assertThat(read.getToolsUsed()).containsExactly("create_ticket");
        assertThat(read.getDegraded()).as("the field v0 lacks, filled with its default").isFalse();
    }

    @Test
    void should_refuse_state_of_the_previous_schema_without_its_release() {
        Schema v0 = V0.of(ConversationState.class).get(0);
        byte[] written = encode(v0, new GenericRecordBuilder(v0).set("conversationId", "c1").set("createdAt", 0L)
                .set("lastActivityAt", 0L).build());

        assertThatThrownBy(() -> AvroSerde.of(ConversationState.class).decode(written))
                .isInstanceOf(SerializationException.class)
                .hasMessageStartingWith("unknown schema fingerprint for ConversationState")
                .hasMessageContaining(String.valueOf(SchemaNormalization.parsingFingerprint64(v0)));
    }

    @Test
    void should_resolve_the_named_types_a_release_shares_between_its_files() {
        Schema v0 = V0.of(ConversationState.class).get(0);

        assertThat(v0.getField("inbox").schema().getElementType())
                .isEqualTo(V0.of(CustomerMessage.class).get(0));
        assertThat(V0.of(TicketEvent.class)).as("a type the release does not have").isEmpty();
    }

    static Stream<Class<? extends SpecificRecord>> everyTopicAndStoreType() {
        return Stream.of(CustomerMessage.class, AgentReply.class, TicketEvent.class, ConversationEnded.class,
                ConversationState.class, ConversationMeta.class, PendingMessage.class, HistoryTurn.class);
    }

    @ParameterizedTest
    @MethodSource("everyTopicAndStoreType")
    void should_package_a_release_of_every_record_on_a_topic_or_in_a_store(Class<? extends SpecificRecord> type) {
        assertThat(ReleasedSchemas.packaged().of(type)).isNotEmpty();
    }

    @ParameterizedTest
    @MethodSource("io.helpstream.contract.AvroSerdeTest#everyRecordType")
    void should_read_back_what_it_writes_when_a_release_equals_the_current_schema(SpecificRecord record) {
        Class<? extends SpecificRecord> type = record.getClass();
        List<Schema> released = ReleasedSchemas.packaged().of(type);
        AvroSerde<SpecificRecord> serde = serdeOf(record);

        // A type changed since the last release (fields added with defaults) is read back by the other tests.
        org.junit.jupiter.api.Assumptions.assumeTrue(!released.isEmpty()
                && SchemaNormalization.parsingFingerprint64(released.get(released.size() - 1))
                == SchemaNormalization.parsingFingerprint64(record.getSchema()), "changed since the last release");
        assertThat(serde.decode(serde.encode(record))).isEqualTo(record);
    }

    @SuppressWarnings("unchecked")
    private static <T extends SpecificRecord> AvroSerde<T> serdeOf(T record) {
        return ReleasedSchemas.packaged().serde((Class<T>) record.getClass());
    }

    private static byte[] encode(Schema writer, GenericRecord record) {
        try {
            ByteBuffer buffer = new BinaryMessageEncoder<GenericRecord>(GenericData.get(), writer).encode(record);
            byte[] bytes = new byte[buffer.remaining()];
            buffer.get(bytes);
            return bytes;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
