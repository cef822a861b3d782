package io.helpstream.contract;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.avro.AvroRuntimeException;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.io.DatumReader;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Avro values in the Avro specification's single-object encoding: a two-byte marker, the writer schema's
 * CRC-64-AVRO fingerprint, then the binary datum. Any Avro implementation can read it with the published
 * {@code .avsc}; this reader also resolves the older writer schemas it is given, found by fingerprint.
 *
 * <p>A record that cannot be read fails with a {@link SerializationException} whose message says why (not
 * single-object encoded, unknown fingerprint, malformed body), so the dead-letter topic names the reason. Reading
 * is strict where Avro's own message decoder is lenient: bytes after the datum are an error, and no length prefix
 * may claim more than the record holds (see {@link BoundedDecoder}).
 */
public final class AvroSerde<T extends SpecificRecord> implements Serde<T> {

    private static final byte MARKER_0 = (byte) 0xC3;
    private static final byte MARKER_1 = (byte) 0x01;
    private static final int HEADER_BYTES = 10;

    private final Class<T> type;
    private final BinaryMessageEncoder<T> encoder;
    /** A reader into the current schema for each writer schema known, by the writer schema's fingerprint. */
    private final Map<Long, DatumReader<T>> readers;

    private AvroSerde(Class<T> type, List<Schema> olderSchemas) {
        this.type = type;
        SpecificData model = SpecificData.getForClass(type);
        Schema schema = model.getSchema(type);
        this.encoder = new BinaryMessageEncoder<>(model, schema);
        Map<Long, DatumReader<T>> byFingerprint = new HashMap<>();
        for (Schema older : olderSchemas) {
            Objects.requireNonNull(older, "older schema");
            var compatibility = SchemaCompatibility.checkReaderWriterCompatibility(schema, older);
            if (compatibility.getType() != SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE) {
                throw new IllegalArgumentException(type.getSimpleName() + " cannot read records written with "
                        + older.getFullName() + ": " + compatibility.getDescription());
            }
            byFingerprint.put(SchemaNormalization.parsingFingerprint64(older),
                    new SpecificDatumReader<>(older, schema, model));
        }
        byFingerprint.put(SchemaNormalization.parsingFingerprint64(schema),
                new SpecificDatumReader<>(schema, schema, model));
        this.readers = Map.copyOf(byFingerprint);
    }

    public static <T extends SpecificRecord> AvroSerde<T> of(Class<T> type) {
        return new AvroSerde<>(Objects.requireNonNull(type, "type"), List.of());
    }

    /** A serde that also reads records written with the given earlier versions of the schema. */
    public static <T extends SpecificRecord> AvroSerde<T> of(Class<T> type, List<Schema> olderSchemas) {
        return new AvroSerde<>(Objects.requireNonNull(type, "type"), List.copyOf(olderSchemas));
    }

    public byte[] encode(T value) {
        try {
            ByteBuffer buffer = encoder.encode(value);
            byte[] bytes = new byte[buffer.remaining()];
            buffer.get(bytes);
            return bytes;
        } catch (IOException | AvroRuntimeException | NullPointerException e) {
            throw new SerializationException("cannot write " + type.getSimpleName() + ": " + e.getMessage(), e);
        }
    }

    public T decode(byte[] bytes) {
        if (bytes.length < HEADER_BYTES || bytes[0] != MARKER_0 || bytes[1] != MARKER_1) {
            throw new SerializationException("not Avro single-object encoding (" + bytes.length
                    + " bytes, expected the marker C3 01 and an 8-byte schema fingerprint first)");
        }
        long fingerprint = ByteBuffer.wrap(bytes, 2, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        DatumReader<T> reader = readers.get(fingerprint);
        if (reader == null) {
            throw new SerializationException("unknown schema fingerprint " + Long.toHexString(fingerprint) + " for "
                    + type.getSimpleName());
        }
        BoundedDecoder in = new BoundedDecoder(bytes, HEADER_BYTES);
        T value;
        try {
            value = reader.read(null, in);
        } catch (IOException | RuntimeException e) {
            throw new SerializationException("malformed " + type.getSimpleName() + ": " + e, e);
        }
        if (in.remaining() > 0) {
            throw new SerializationException("malformed " + type.getSimpleName() + ": " + in.remaining()
                    + " bytes after the end of the datum");
        }
        return value;
    }

    @Override
    public Serializer<T> serializer() {
        return (topic, value) -> value == null ? null : encode(value);
    }

    @Override
    public Deserializer<T> deserializer() {
        return (topic, bytes) -> bytes == null ? null : decode(bytes);
    }
}
