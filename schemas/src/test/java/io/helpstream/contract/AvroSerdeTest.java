package io.helpstream.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.helpstream.schema.AgentReply;
import io.helpstream.schema.ConversationEnded;
import io.helpstream.schema.ConversationState;
import io.helpstream.schema.CustomerBinding;
import io.helpstream.schema.CustomerMessage;
import io.helpstream.schema.EndReason;
import io.helpstream.schema.HistoryTurn;
import io.helpstream.schema.TicketEvent;
import io.helpstream.schema.TicketEventType;
import io.helpstream.schema.TicketPriority;
import io.helpstream.schema.TicketStatus;
import io.helpstream.schema.TokenUsage;
import io.helpstream.schema.ToolCallRecord;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.generic.GenericRecordBuilder;
import org.apache.avro.message.BinaryMessageDecoder;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class AvroSerdeTest {

    private static final Instant T0 = Instant.parse("2026-01-01T10:00:00Z");

    /** CustomerMessage as first published, before the gateway asserted emails and sent metadata. */
    private static final Schema CUSTOMER_MESSAGE_V0 = new Schema.Parser().parse("""
            {"type": "record", "name": "CustomerMessage", "namespace": "io.helpstream.schema", "fields": [
              {"name": "messageId", "type": "string"},
              {"name": "conversationId", "type": "string"},
              {"name": "channel", "type": "string"},
              {"name": "text", "type": "string"},
              {"name": "sentAt", "type": {"type": "long", "logicalType": "timestamp-millis"}}
            ]}""");

    static CustomerMessage customerMessage() {
        return CustomerMessage.newBuilder().setMessageId("m1").setConversationId("c1")
                .setCustomerEmail("john@example.com").setChannel("web").setText("My laptop is broken ✉ ü")
                .setSentAt(T0).setMetadata(Map.of("locale", "de-CH", "agent", "Firefox")).build();
    }

    static Stream<SpecificRecord> everyRecordType() {
        ToolCallRecord call = ToolCallRecord.newBuilder().setId("call-1").setName("create_ticket")
                .setArguments("{\"subject\":\"Laptop\"}").setOutput("TICK-000001").build();
        TokenUsage usage = new TokenUsage(120, 40, 2);
        CustomerBinding binding = new CustomerBinding("john@example.com", "CUST001", "John Doe", true);
        HistoryTurn turn = HistoryTurn.newBuilder().setMessageId("m0").setUserText("hi").setReceivedAt(T0)
                .setToolCalls(new ArrayList<>(List.of(call))).setReplyText("hello").setRepliedAt(T0.plusSeconds(2))
                .build();
        ConversationState state = ConversationState.newBuilder().setConversationId("c1").setCustomer(binding)
                .setCreatedAt(T0).setLastActivityAt(T0.plusSeconds(5)).setHistory(new ArrayList<>(List.of(turn)))
                .setContext(new HashMap<>(Map.of("order_number", "#12345")))
                .setInbox(new ArrayList<>(List.of(customerMessage())))
                .setInboxReceivedAt(new ArrayList<>(List.of(T0.toEpochMilli())))
                .setRecentMessageIds(new ArrayList<>(List.of("m0", "m1"))).setMessageCount(2).setTurnCount(1)
                .build();
        AgentReply reply = AgentReply.newBuilder().setReplyId("r1").setConversationId("c1").setInReplyTo("m1")
                .setText("I opened TICK-000001").setCreatedAt(T0).setModel("gpt-4o-mini").setUsage(usage)
                .setToolsUsed(List.of("lookup_customer", "create_ticket")).setLatencyMs(1234).setDegraded(false)
                .build();
        TicketEvent event = TicketEvent.newBuilder().setEventId("e1").setType(TicketEventType.CREATED)
                .setTicketId("TICK-000001").setCustomerId("CUST001").setStatus(TicketStatus.OPEN)
                .setPriority(TicketPriority.HIGH).setSubject("Laptop").setOccurredAt(T0).setConversationId("c1")
                .setMessageId("m1").build();
        ConversationEnded ended = ConversationEnded.newBuilder().setConversationId("c1").setCustomerId(null)
                .setReason(EndReason.IDLE_TIMEOUT).setStartedAt(T0).setLastActivityAt(T0).setEndedAt(T0)
                .setMessageCount(3).setTurnCount(3).build();
        return Stream.of(customerMessage(), reply, event, ended, state, binding, turn, call, usage);
    }

    @SuppressWarnings("unchecked")
    private static <T extends SpecificRecord> AvroSerde<T> serdeOf(T record) {
        return AvroSerde.of((Class<T>) record.getClass());
    }

    @ParameterizedTest
    @MethodSource("everyRecordType")
    void should_read_back_what_it_writes_for_every_record_type(SpecificRecord record) {
        AvroSerde<SpecificRecord> serde = serdeOf(record);

        byte[] bytes = serde.serializer().serialize("topic", record);

        assertThat(serde.deserializer().deserialize("topic", bytes)).isEqualTo(record);
    }

    @ParameterizedTest
    @MethodSource("everyRecordType")
    void should_start_with_the_single_object_marker_and_the_little_endian_schema_fingerprint(SpecificRecord record) {
        byte[] bytes = serdeOf(record).encode(record);

        long fingerprint = SchemaNormalization.parsingFingerprint64(record.getSchema());
        byte[] expected = ByteBuffer.allocate(10).order(ByteOrder.LITTLE_ENDIAN)
                .put((byte) 0xC3).put((byte) 0x01).putLong(fingerprint).array();
        assertThat(Arrays.copyOf(bytes, 10)).isEqualTo(expected);
    }

    @Test
    void should_be_readable_by_a_plain_avro_decoder_given_only_the_published_schema() throws IOException {
        Schema published = publishedSchema("avro/CustomerMessage.avsc");
        BinaryMessageDecoder<GenericRecord> plain = new BinaryMessageDecoder<>(GenericData.get(), published);

        GenericRecord read = plain.decode(Topics.CUSTOMER_MESSAGE.encode(customerMessage()));

        assertThat(read.get("messageId")).hasToString("m1");
        assertThat(read.get("customerEmail")).hasToString("john@example.com");
        assertThat(read.get("text")).hasToString("My laptop is broken ✉ ü");
        assertThat(read.get("sentAt")).isEqualTo(T0.toEpochMilli());
        assertThat(((Map<?, ?>) read.get("metadata"))).hasSize(2);
    }

    @Test
    void should_read_what_a_plain_avro_encoder_writes_with_the_published_schema() throws IOException {
        Schema published = publishedSchema("avro/CustomerMessage.avsc");
        GenericRecord written = new GenericRecordBuilder(published).set("messageId", "m1").set("conversationId", "c1")
                .set("customerEmail", "john@example.com").set("channel", "web").set("text", "My laptop is broken ✉ ü")
                .set("sentAt", T0.toEpochMilli()).set("metadata", Map.of("locale", "de-CH", "agent", "Firefox"))
                .build();
        ByteBuffer encoded = new BinaryMessageEncoder<GenericRecord>(GenericData.get(), published).encode(written);

        assertThat(Topics.CUSTOMER_MESSAGE.decode(toArray(encoded))).isEqualTo(customerMessage());
    }

    @Test
    void should_read_a_record_of_an_older_schema_it_was_given_and_fill_in_defaults() throws IOException {
        byte[] v0 = encodeV0();
        AvroSerde<CustomerMessage> serde = AvroSerde.of(CustomerMessage.class, List.of(CUSTOMER_MESSAGE_V0));

        CustomerMessage read = serde.decode(v0);

        assertThat(read.getMessageId()).isEqualTo("m0");
        assertThat(read.getText()).isEqualTo("hello from v0");
        assertThat(read.getSentAt()).isEqualTo(T0);
        assertThat(read.getCustomerEmail()).isNull();
        assertThat(read.getMetadata()).isEmpty();
    }

    @Test
    void should_refuse_a_record_of_an_older_schema_it_was_not_given() throws IOException {
        byte[] v0 = encodeV0();

        assertThatThrownBy(() -> Topics.CUSTOMER_MESSAGE.decode(v0))
                .isInstanceOf(SerializationException.class)
                .hasMessageStartingWith("unknown schema fingerprint")
                .hasMessageContaining(String.valueOf(SchemaNormalization.parsingFingerprint64(CUSTOMER_MESSAGE_V0)));
    }

    @Test
    void should_refuse_an_older_schema_the_current_one_cannot_read() {
        Schema noDefault = new Schema.Parser().parse("""
                {"type": "record", "name": "CustomerMessage", "namespace": "io.helpstream.schema", "fields": [
                  {"name": "messageId", "type": "string"}]}""");

        assertThatThrownBy(() -> AvroSerde.of(CustomerMessage.class, List.of(noDefault)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("cannot read records written with io.helpstream.schema.CustomerMessage: "
                        + "READER_FIELD_MISSING_DEFAULT_VALUE at /fields/1: conversationId");
    }

    @Test
    void should_refuse_bytes_after_the_datum() {
        byte[] valid = Topics.CUSTOMER_MESSAGE.encode(customerMessage());

        assertThatThrownBy(() -> Topics.CUSTOMER_MESSAGE.decode(Arrays.copyOf(valid, valid.length + 1)))
                .isInstanceOf(SerializationException.class)
                .hasMessage("malformed CustomerMessage: 1 bytes after the end of the datum");
    }

    @Test
    void should_refuse_a_length_prefix_beyond_the_record_without_allocating_it() {
        byte[] valid = Topics.CUSTOMER_MESSAGE.encode(customerMessage());
        byte[] hostile = Arrays.copyOf(valid, 20);
        // messageId claims 2^30 - 1 bytes; allocating that first would exhaust a 1 GB heap.
        System.arraycopy(new byte[] {(byte) 0xFE, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x07}, 0, hostile, 10, 5);

        assertThatThrownBy(() -> Topics.CUSTOMER_MESSAGE.decode(hostile))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("string of 1073741823 bytes, but only 5 bytes are left");
    }

    @Test
    void should_refuse_an_item_count_beyond_the_record_without_allocating_it() {
        AgentReply reply = (AgentReply) everyRecordType().filter(AgentReply.class::isInstance).findFirst().orElseThrow();
        AgentReply noTools = AgentReply.newBuilder(reply).setToolsUsed(List.of()).setLatencyMs(0).setDegraded(false)
                .build();
        byte[] valid = Topics.AGENT_REPLY.encode(noTools);
        // The record ends with the empty toolsUsed (0), latencyMs 0 (0) and false (0). Instead the array claims
        // Avro's most items, 2^31 - 9, of which one is there: an Object[] that size would need 8 GiB first.
        byte[] hostile = Arrays.copyOf(valid, valid.length - 3 + 7);
        System.arraycopy(new byte[] {(byte) 0xEE, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x0F, 2, 'x'}, 0, hostile,
                valid.length - 3, 7);

        assertThatThrownBy(() -> Topics.AGENT_REPLY.decode(hostile))
                .isInstanceOf(SerializationException.class)
                .hasMessage("malformed AgentReply: java.io.EOFException");
    }

    @Test
    void should_refuse_records_too_short_for_the_header_or_without_the_marker() {
        assertThatThrownBy(() -> Topics.CUSTOMER_MESSAGE.decode(new byte[] {(byte) 0xC3, 0x01, 1, 2}))
                .isInstanceOf(SerializationException.class)
                .hasMessageStartingWith("not Avro single-object encoding");
        assertThatThrownBy(() -> Topics.CUSTOMER_MESSAGE.decode("{\"messageId\":\"m1\"}".getBytes()))
                .isInstanceOf(SerializationException.class)
                .hasMessageStartingWith("not Avro single-object encoding");
    }

    private static byte[] encodeV0() throws IOException {
        GenericRecord record = new GenericRecordBuilder(CUSTOMER_MESSAGE_V0).set("messageId", "m0")
                .set("conversationId", "c0").set("channel", "web").set("text", "hello from v0")
                .set("sentAt", T0.toEpochMilli()).build();
        return toArray(new BinaryMessageEncoder<GenericRecord>(GenericData.get(), CUSTOMER_MESSAGE_V0)
                .encode(record));
    }

    private static Schema publishedSchema(String resource) throws IOException {
        try (InputStream in = AvroSerdeTest.class.getClassLoader().getResourceAsStream(resource)) {
            assertThat(in).as("resource %s in the schemas jar", resource).isNotNull();
            return new Schema.Parser().parse(in);
        }
    }

    private static byte[] toArray(ByteBuffer buffer) {
        byte[] bytes = new byte[buffer.remaining()];
        buffer.get(bytes);
        return bytes;
    }
}
