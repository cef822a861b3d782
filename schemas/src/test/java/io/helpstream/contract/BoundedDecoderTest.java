package io.helpstream.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.io.BinaryEncoder;
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

    private static Object read(Schema schema, byte[] bytes) throws IOException {
        BoundedDecoder in = new BoundedDecoder(bytes, 0);
        Object datum = new GenericDatumReader<>(schema, schema, GenericData.get()).read(null, in);
        assertThat(in.remaining()).isZero();
        return datum;
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
    void should_refuse_a_string_longer_than_the_bytes_left() {
        byte[] bytes = {(byte) 0xFE, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x07, 'a', 'b'};

        assertThatThrownBy(() -> new BoundedDecoder(bytes, 0).readString())
                .isInstanceOf(EOFException.class)
                .hasMessage("string of 1073741823 bytes, but only 2 bytes are left");
    }

    @Test
    void should_refuse_bytes_longer_than_the_bytes_left_and_negative_lengths() {
        assertThatThrownBy(() -> new BoundedDecoder(new byte[] {0x10, 1, 2}, 0).readBytes(null))
                .isInstanceOf(EOFException.class)
                .hasMessage("bytes of 8 bytes, but only 2 bytes are left");
        assertThatThrownBy(() -> new BoundedDecoder(new byte[] {0x01, 1, 2}, 0).readString())
                .isInstanceOf(IOException.class)
                .hasMessage("negative string length -1");
    }

    @Test
    void should_fail_at_the_end_of_the_bytes_when_a_map_claims_a_billion_entries() {
        Schema schema = schema("{\"type\": \"map\", \"values\": \"string\"}");
        // A block count of 2^29 followed by one real entry.
        byte[] bytes = {(byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, 0x04, 2, 'k', 2, 'v'};

        assertThatThrownBy(() -> read(schema, bytes)).isInstanceOf(EOFException.class);
    }
}
