package io.helpstream.kafka;

import java.util.Locale;

/** How the producer of each stream thread compresses its batches (replies, events and the changelogs). */
public enum Compression {
    NONE, GZIP, SNAPPY, LZ4, ZSTD;

    /** The value of the producer's {@code compression.type}. */
    public String config() {
        return name().toLowerCase(Locale.ROOT);
    }
}
