package io.helpstream.contract;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Objects;
import org.apache.avro.AvroRuntimeException;
import org.apache.avro.Schema;
import org.apache.avro.message.BadHeaderException;
import org.apache.avro.message.BinaryMessageDecoder;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.message.MissingSchemaException;
import org.apache.avro.specific.SpecificData;
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
 * <p>Avro's {@link BinaryMessageDecoder} does the reading: it checks the marker ({@link BadHeaderException}), finds
 * the writer schema by fingerprint among those added to it ({@link MissingSchemaException}) and resolves it to the
 * current one. This class adds what Avro leaves open: an older schema the current one cannot read is refused when the
 * serde is built, bytes after the datum are an error, and no length prefix or item count may claim more than the
 * record holds ({@link BoundedDecoder}; Avro allocates what a prefix claims before reading it). A record that cannot
 * be read fails with a {@link SerializationException} whose message says why (not single-object encoded, unknown
 * fingerprint, malformed body), so the dead-letter topic names the reason.
 */
public final class AvroSerde<T extends SpecificRecord> implements Serde<T> {

    private final Class<T> type;
    private final BinaryMessageEncoder<T> encoder;
    private final BinaryMessageDecoder<T> decoder;

    private AvroSerde(Class<T> type, List<Schema> olderSchemas) {
        this.type = type;
        SpecificData model = SpecificData.getForClass(type);
        Schema schema = model.getSchema(type);
        this.encoder = new BinaryMessageEncoder<>(model, schema);
        this.decoder = new BinaryMessageDecoder<>(BoundedDecoder.guarding(model), schema);
        for (Schema older : olderSchemas) {
            Objects.requireNonNull(older, "older schema");
            ReadCompatibility.problem(schema, older).ifPresent(problem -> {
                throw new IllegalArgumentException(type.getSimpleName() + " cannot read records written with "
                        + older.getFullName() + ": " + problem);
            });
            decoder.addSchema(older);
        }
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
            // Avro's messages may quote the datum it failed on; the cause keeps it, for DEBUG.
            throw new SerializationException("cannot write " + type.getSimpleName() + ": " + e.getClass().getName(),
                    e);
        }
    }

    public T decode(byte[] bytes) {
        ByteArrayInputStream in = new ByteArrayInputStream(bytes);
        T value;
        try {
            value = decoder.decode(in, null);
        } catch (BadHeaderException e) {
            throw new SerializationException("not Avro single-object encoding (" + bytes.length + " bytes): "
                    + e.getMessage(), e);
        } catch (MissingSchemaException e) {
            throw new SerializationException("unknown schema fingerprint for " + type.getSimpleName() + ": "
                    + e.getMessage(), e);
        } catch (IOException | RuntimeException e) {
            // Avro wraps what the decoder threw in "Decoding datum failed"; the cause says what was wrong.
            Throwable reason = e instanceof AvroRuntimeException && e.getCause() instanceof IOException cause ? cause
                    : e;
            throw new SerializationException("malformed " + type.getSimpleName() + ": " + reason, e);
        }
        if (in.available() > 0) {
            throw new SerializationException("malformed " + type.getSimpleName() + ": " + in.available()
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
