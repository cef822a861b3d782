package io.helpstream.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.apache.avro.AvroRuntimeException;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DatumReader;
import org.apache.avro.io.Decoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.junit.jupiter.api.Test;

class BoundedDecoderTest {

    private static Schema schema(String json) {
        return new Schema.Parser().parse(json);
    }

    private static byte[] write(Schema schema, Object datum) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
        new GenericDatumWriter<>(schema, GenericData.get()).write(datum, encoder);
        encoder.flush();
        return out.toByteArray();
    }

    /** Reads as Avro's message decoder does: a direct decoder over the record's bytes, handed to the reader. */
    private static Object read(Schema schema, byte[] bytes) throws IOException {
        ByteArrayInputStream stream = new ByteArrayInputStream(bytes);
        Object datum = guardedReader(schema).read(null, DecoderFactory.get().directBinaryDecoder(stream, null));
        assertThat(stream.available()).isZero();
        return datum;
    }

    private static DatumReader<Object> guardedReader(Schema schema) {
        return BoundedDecoder.guarded(new GenericDatumReader<>(schema, schema, GenericData.get()));
    }

    /** Avro's zig-zag varint, as a length prefix or block count is written. */
    private static byte[] varint(long value) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
        encoder.writeLong(value);
        encoder.flush();
        return out.toByteArray();
    }

    private static byte[] concat(byte[] first, byte[] second) {
        byte[] both = Arrays.copyOf(first, first.length + second.length);
        System.arraycopy(second, 0, both, first.length, second.length);
        return both;
    }

    @Test
    void should_read_nested_collections_strings_and_bytes_like_the_plain_decoder() throws IOException {
        Schema schema = schema("""
                {"type": "record", "name": "R", "fields": [
                  {"name": "grid", "type": {"type": "array", "items": {"type": "array", "items": "long"}}},
                  {"name": "tags", "type": {"type": "map", "values": {"type": "array", "items": "string"}}},
                  {"name": "blob", "type": "bytes"}]}""");
        GenericData.Record record = new GenericData.Record(schema);
        record.put("grid", List.of(List.of(1L, 2L, 3L), List.of(), List.of(-4L)));
        record.put("tags", Map.of("a", List.of("x", "y"), "b", List.of()));
        record.put("blob", ByteBuffer.wrap(new byte[] {1, 2, 3}));

        GenericData.Record read = (GenericData.Record) read(schema, write(schema, record));

        assertThat(read.get("grid")).asString().isEqualTo("[[1, 2, 3], [], [-4]]");
        assertThat(read.get("tags")).asString().contains("a=[x, y]").contains("b=[]");
        assertThat(read.get("blob")).isEqualTo(ByteBuffer.wrap(new byte[] {1, 2, 3}));
    }

    @Test
    void should_hand_out_a_block_of_more_items_than_bytes_left_in_pieces_without_losing_items() throws IOException {
        // Nulls take no bytes: 1000 of them are a block count of two bytes and the terminating zero.
        Schema schema = schema("{\"type\": \"array\", \"items\": \"null\"}");
        List<Object> nulls = new ArrayList<>(Collections.nCopies(1000, null));

        Object read = read(schema, write(schema, nulls));

        assertThat((List<?>) read).hasSize(1000).containsOnlyNulls();
    }

    @Test
    void should_refuse_a_string_longer_than_the_bytes_left() throws IOException {
        Schema string = schema("\"string\"");
        byte[] bytes = concat(varint((1L << 30) - 1), new byte[] {'a', 'b'});

        assertThatThrownBy(() -> read(string, bytes))
                .isInstanceOf(EOFException.class)
                .hasMessage("string of 1073741823 bytes, but only 2 bytes are left");
    }

    @Test
    void should_refuse_bytes_longer_than_the_bytes_left_and_leave_negative_lengths_to_avro() {
        assertThatThrownBy(() -> read(schema("\"bytes\""), new byte[] {0x10, 1, 2}))
                .isInstanceOf(EOFException.class)
                .hasMessage("bytes of 8 bytes, but only 2 bytes are left");
        assertThatThrownBy(() -> read(schema("\"string\""), new byte[] {0x01, 1, 2}))
                .isInstanceOf(AvroRuntimeException.class)
                .hasMessageContaining("Length is negative: -1");
    }

    @Test
    void should_hand_out_a_block_count_of_a_billion_no_larger_than_the_bytes_left() throws IOException {
        byte[] bytes = concat(varint(1L << 30), new byte[] {2, 'x', 2, 'y', 0});
        ByteArrayInputStream stream = new ByteArrayInputStream(bytes);
        Decoder avro = DecoderFactory.get().directBinaryDecoder(stream, null);
        long[] firstBlock = new long[1];
        DatumReader<Object> probe = BoundedDecoder.guarded(new DatumReader<>() {
            @Override
            public void setSchema(Schema schema) {
            }

            @Override
            public Object read(Object reuse, Decoder in) throws IOException {
                firstBlock[0] = in.readArrayStart();
                return null;
            }
        });

        probe.read(null, avro);

        assertThat(firstBlock[0]).isEqualTo(stream.available()).isEqualTo(5);
    }

    @Test
    void should_fail_at_the_end_of_the_bytes_when_an_array_claims_the_most_items_avro_allows() throws IOException {
        Schema schema = schema("{\"type\": \"array\", \"items\": \"string\"}");
        // Avro's ceiling for a collection: an Object[] of that many items would need 8 GiB before reading the first.
        byte[] bytes = concat(varint(Integer.MAX_VALUE - 8), new byte[] {2, 'x'});

        assertThatThrownBy(() -> read(schema, bytes)).isInstanceOf(EOFException.class);
    }

    @Test
    void should_fail_at_the_end_of_the_bytes_when_a_map_claims_a_billion_entries() throws IOException {
        Schema schema = schema("{\"type\": \"map\", \"values\": \"string\"}");
        byte[] bytes = concat(varint(1L << 29), new byte[] {2, 'k', 2, 'v'});

        assertThatThrownBy(() -> read(schema, bytes)).isInstanceOf(EOFException.class);
    }

    @Test
    void should_refuse_a_decoder_that_is_not_binary() throws IOException {
        Schema string = schema("\"string\"");
        Decoder json = DecoderFactory.get().jsonDecoder(string, "\"x\"");

        assertThatThrownBy(() -> guardedReader(string).read(null, json))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("a binary decoder is needed");
    }
}
