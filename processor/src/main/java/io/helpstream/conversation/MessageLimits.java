package io.helpstream.conversation;

/**
 * How large the parts of a customer message may be, in UTF-8 bytes (a character may take up to four): a message past
 * any of them goes to the dead-letter topic with the reason.
 *
 * @param maxTextBytes       the text
 * @param maxChannelBytes    the channel name
 * @param maxMetadataEntries entries of the gateway's metadata map
 * @param maxMetadataBytes   all metadata keys and values together
 */
public record MessageLimits(int maxTextBytes, int maxChannelBytes, int maxMetadataEntries, int maxMetadataBytes) {

    /** About 4 000 characters of European text, 1 300 of Chinese. */
    public static final int DEFAULT_MAX_TEXT_BYTES = 12_000;
    public static final int DEFAULT_MAX_CHANNEL_BYTES = 64;
    public static final int DEFAULT_MAX_METADATA_ENTRIES = 32;
    public static final int DEFAULT_MAX_METADATA_BYTES = 4_096;

    public MessageLimits {
        positive("maxTextBytes", maxTextBytes);
        positive("maxChannelBytes", maxChannelBytes);
        if (maxMetadataEntries < 0 || maxMetadataBytes < 0) {
            throw new IllegalArgumentException("metadata limits must be >= 0, were " + maxMetadataEntries + " and "
                    + maxMetadataBytes);
        }
    }

    public static MessageLimits defaults() {
        return new MessageLimits(DEFAULT_MAX_TEXT_BYTES, DEFAULT_MAX_CHANNEL_BYTES, DEFAULT_MAX_METADATA_ENTRIES,
                DEFAULT_MAX_METADATA_BYTES);
    }

    private static void positive(String name, int value) {
        if (value <= 0) {
            throw new IllegalArgumentException(name + " must be positive, was " + value);
        }
    }
}
