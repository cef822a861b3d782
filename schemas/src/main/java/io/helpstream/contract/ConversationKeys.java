package io.helpstream.contract;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * The binary keys of the processor's stores that hold many records per conversation. Each starts with the
 * conversation id, length-prefixed so that no id is a prefix of another's keys: the records of one conversation are
 * one contiguous range, in sequence order (numbers are big-endian and never negative, so byte order is numeric
 * order). Expiry keys start with the deadline instead, so that the range up to "now" is exactly what is due.
 */
public final class ConversationKeys {

    private static final int LENGTH = Integer.BYTES;

    private ConversationKeys() {
    }

    /** The first bytes of every entry key of a conversation. */
    public static byte[] prefix(String conversationId) {
        byte[] id = conversationId.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(LENGTH + id.length).putInt(id.length).put(id).array();
    }

    /** The key of a conversation's entry number {@code sequence} (a pending message, a history turn). */
    public static byte[] entry(String conversationId, long sequence) {
        if (sequence < 0) {
            throw new IllegalArgumentException("sequence must be >= 0, was " + sequence);
        }
        byte[] prefix = prefix(conversationId);
        return ByteBuffer.allocate(prefix.length + Long.BYTES).put(prefix).putLong(sequence).array();
    }

    /** The key of a message id in a conversation. */
    public static byte[] message(String conversationId, String messageId) {
        byte[] prefix = prefix(conversationId);
        byte[] id = messageId.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(prefix.length + id.length).put(prefix).put(id).array();
    }

    /** The key of a conversation's entry in the expiry index. */
    public static byte[] deadline(long deadline, String conversationId) {
        if (deadline < 0) {
            throw new IllegalArgumentException("deadline must be >= 0, was " + deadline);
        }
        byte[] id = conversationId.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(Long.BYTES + id.length).putLong(deadline).put(id).array();
    }

    /** The conversation of an entry or message key. */
    public static String conversationOf(byte[] key) {
        ByteBuffer buffer = ByteBuffer.wrap(key);
        int length = buffer.getInt();
        return new String(key, LENGTH, length, StandardCharsets.UTF_8);
    }

    /** The sequence number of an entry key. */
    public static long sequenceOf(byte[] key) {
        return ByteBuffer.wrap(key, key.length - Long.BYTES, Long.BYTES).getLong();
    }

    /** The deadline of an expiry key. */
    public static long deadlineOf(byte[] key) {
        return ByteBuffer.wrap(key, 0, Long.BYTES).getLong();
    }

    /** The conversation of an expiry key. */
    public static String conversationOfDeadline(byte[] key) {
        return new String(key, Long.BYTES, key.length - Long.BYTES, StandardCharsets.UTF_8);
    }
}
