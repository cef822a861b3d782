package io.helpstream.contract;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.Deque;
import org.apache.avro.Schema;
import org.apache.avro.SystemLimitException;
import org.apache.avro.generic.GenericData;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DatumReader;
import org.apache.avro.io.Decoder;
import org.apache.avro.util.Utf8;

/**
 * The one guard Avro's binary decoding lacks: no length prefix or item count is believed beyond the bytes the record
 * still holds.
 *
 * <p>Avro (1.12) refuses negative lengths, over-long varints and reads past the end, and caps sizes at the JVM-wide
 * {@code org.apache.avro.limits.*} properties ({@link SystemLimitException}, about 2 GiB unless set). But it allocates
 * the string, byte array or array a prefix claims before reading a byte of it, whether the input is a byte array or a
 * stream, so five corrupt bytes can ask for a gigabyte and end the stream thread with an {@link OutOfMemoryError}.
 * Those limits cannot help here: they are read once for the whole JVM, a library must not change them for its host,
 * and no fixed cap knows how long this record is.
 *
 * <p>This decoder wraps the one Avro hands a datum reader, and guards only where Avro would allocate: strings and bytes
 * longer than what is left fail with an {@link EOFException}, and array and map blocks are handed out in pieces no
 * larger than the bytes left (at least one item), so the reader sees the same items in more, smaller blocks and sizes
 * its collection by items that are really there. Everything else, and Avro's own limits, stay Avro's.
 */
final class BoundedDecoder extends Decoder {

    private final BinaryDecoder in;
    /** Items not yet handed out of the current block of each open array or map, innermost first. */
    private final Deque<long[]> blocks = new ArrayDeque<>();

    private BoundedDecoder(Decoder in) {
        if (!(in instanceof BinaryDecoder binary)) {
            throw new IllegalArgumentException("a binary decoder is needed, not " + in.getClass().getName());
        }
        this.in = binary;
    }

    /**
     * A model for Avro's message decoders whose datum readers are the given model's, guarded. It serves only to
     * create datum readers: that is all {@code BinaryMessageDecoder} and {@code RawMessageDecoder} ask of a model.
     */
    static GenericData guarding(GenericData model) {
        return new GenericData(model.getClassLoader()) {
            @Override
            @SuppressWarnings({"rawtypes", "unchecked"})
            public DatumReader createDatumReader(Schema writer, Schema reader) {
                return guarded(model.createDatumReader(writer, reader));
            }
        };
    }

    /**
     * A datum reader that reads through this guard. The decoder it is given must be a direct binary decoder over an
     * input stream that knows exactly how many bytes it has left, as Avro's message decoders use one.
     */
    static <D> DatumReader<D> guarded(DatumReader<D> reader) {
        return new DatumReader<>() {
            @Override
            public void setSchema(Schema schema) {
                reader.setSchema(schema);
            }

            @Override
            public D read(D reuse, Decoder in) throws IOException {
                return reader.read(reuse, new BoundedDecoder(in));
            }
        };
    }

    /** Bytes not yet decoded: the direct decoder reads no further ahead than it decodes. */
    private int remaining() throws IOException {
        return in.inputStream().available();
    }

    private void ensureLeft(int length, String what) throws IOException {
        if (length > remaining()) {
            throw new EOFException(what + " of " + length + " bytes, but only " + remaining() + " bytes are left");
        }
    }

    @Override
    public Utf8 readString(Utf8 old) throws IOException {
        int length = SystemLimitException.checkMaxStringLength(in.readLong());
        ensureLeft(length, "string");
        Utf8 result = old != null ? old : new Utf8();
        result.setByteLength(length);
        in.readFixed(result.getBytes(), 0, length);
        return result;
    }

    @Override
    public String readString() throws IOException {
        return readString(null).toString();
    }

    @Override
    public ByteBuffer readBytes(ByteBuffer old) throws IOException {
        int length = SystemLimitException.checkMaxBytesLength(in.readLong());
        ensureLeft(length, "bytes");
        ByteBuffer result = old != null && old.hasArray() && length <= old.capacity() ? old.clear()
                : ByteBuffer.allocate(length);
        in.readFixed(result.array(), result.arrayOffset(), length);
        result.limit(length);
        return result;
    }

    @Override
    public long readArrayStart() throws IOException {
        return openBlock(in.readArrayStart());
    }

    @Override
    public long arrayNext() throws IOException {
        return nextBlock(false);
    }

    @Override
    public long readMapStart() throws IOException {
        return openBlock(in.readMapStart());
    }

    @Override
    public long mapNext() throws IOException {
        return nextBlock(true);
    }

    private long openBlock(long items) throws IOException {
        if (items == 0) {
            return 0;
        }
        long[] left = {items};
        blocks.push(left);
        return take(left);
    }

    private long nextBlock(boolean map) throws IOException {
        long[] left = blocks.peek();
        if (left == null) {
            throw new IOException("no open array or map to continue");
        }
        if (left[0] == 0) {
            left[0] = map ? in.mapNext() : in.arrayNext();
            if (left[0] == 0) {
                blocks.pop();
                return 0;
            }
        }
        return take(left);
    }

    private long take(long[] left) throws IOException {
        long piece = Math.min(left[0], Math.max(1, remaining()));
        left[0] -= piece;
        return piece;
    }

    // Nothing below allocates by a size read from the record: Avro's decoder is trusted as it is.

    @Override
    public void readNull() throws IOException {
        in.readNull();
    }

    @Override
    public boolean readBoolean() throws IOException {
        return in.readBoolean();
    }

    @Override
    public int readInt() throws IOException {
        return in.readInt();
    }

    @Override
    public long readLong() throws IOException {
        return in.readLong();
    }

    @Override
    public float readFloat() throws IOException {
        return in.readFloat();
    }

    @Override
    public double readDouble() throws IOException {
        return in.readDouble();
    }

    @Override
    public void skipString() throws IOException {
        in.skipString();
    }

    @Override
    public void skipBytes() throws IOException {
        in.skipBytes();
    }

    @Override
    public void readFixed(byte[] bytes, int start, int length) throws IOException {
        in.readFixed(bytes, start, length);
    }

    @Override
    public void skipFixed(int length) throws IOException {
        in.skipFixed(length);
    }

    @Override
    public int readEnum() throws IOException {
        return in.readEnum();
    }

    @Override
    public int readIndex() throws IOException {
        return in.readIndex();
    }

    @Override
    public long skipArray() throws IOException {
        return in.skipArray();
    }

    @Override
    public long skipMap() throws IOException {
        return in.skipMap();
    }
}
