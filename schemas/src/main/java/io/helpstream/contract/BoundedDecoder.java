package io.helpstream.contract;

import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.Deque;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.Decoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.util.Utf8;

/**
 * Avro binary decoding of one record's bytes that never believes a length prefix the record cannot hold. Avro
 * allocates a string, a byte array or a collection of the size its prefix claims before reading it, so a corrupt
 * prefix of five bytes could ask for a gigabyte and end the stream thread with an {@link OutOfMemoryError} instead
 * of sending the record to the dead-letter topic.
 *
 * <p>Strings and bytes longer than what is left fail with an {@link EOFException}. Collection blocks are handed to
 * the reader in pieces no larger than the bytes left (at least one item): the reader sees the same items in more,
 * smaller blocks, and allocates only for items that are really there.
 */
final class BoundedDecoder extends Decoder {

    private final ByteArrayInputStream stream;
    private final BinaryDecoder in;
    /** Items not yet handed out of the current block of each open array or map, innermost first. */
    private final Deque<long[]> blocks = new ArrayDeque<>();

    BoundedDecoder(byte[] bytes, int offset) {
        this.stream = new ByteArrayInputStream(bytes, offset, bytes.length - offset);
        // The direct decoder reads no further ahead than it decodes, so the stream tells exactly what is left.
        this.in = DecoderFactory.get().directBinaryDecoder(stream, null);
    }

    /** Bytes not yet decoded. */
    int remaining() {
        return stream.available();
    }

    private int length(String what) throws IOException {
        long length = in.readLong();
        if (length < 0) {
            throw new IOException("negative " + what + " length " + length);
        }
        if (length > remaining()) {
            throw new EOFException(what + " of " + length + " bytes, but only " + remaining() + " bytes are left");
        }
        return (int) length;
    }

    @Override
    public Utf8 readString(Utf8 old) throws IOException {
        int length = length("string");
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
        int length = length("bytes");
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

    private long openBlock(long items) {
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

    private long take(long[] left) {
        long piece = Math.min(left[0], Math.max(1, remaining()));
        left[0] -= piece;
        return piece;
    }

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
        in.skipFixed(length("string"));
    }

    @Override
    public void skipBytes() throws IOException {
        in.skipFixed(length("bytes"));
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
        // Skipped items are read one by one and allocate nothing, so the writer's block sizes are kept.
        return in.skipArray();
    }

    @Override
    public long skipMap() throws IOException {
        return in.skipMap();
    }
}
