package io.helpstream.contract;

import java.util.List;

/**
 * The processor's state stores, by name, and the changelog topics Kafka Streams derives from them: for reading what
 * the processor stored (tests, the crash harness, size measurements, an operator with a console consumer). Values
 * are Avro in single-object encoding ({@link Topics}); keys are described by {@link ConversationKeys}.
 */
public final class ConversationStores {

    /** {@code ConversationMeta} by conversation id (UTF-8). */
    public static final String META = "conversation-meta";
    /** {@code PendingMessage} by {@link ConversationKeys#entry conversation and sequence}. */
    public static final String PENDING = "conversation-pending";
    /** {@code HistoryTurn} by {@link ConversationKeys#entry conversation and turn number}. */
    public static final String HISTORY = "conversation-history";
    /** Accepted message ids by {@link ConversationKeys#message conversation and message id}, a window store. */
    public static final String DEDUP = "conversation-dedup";
    /** Empty values by {@link ConversationKeys#deadline deadline and conversation}: when to look at a conversation. */
    public static final String EXPIRY = "conversation-expiry";
    /**
     * The single store of version 1 ({@code ConversationState} by conversation id); whatever it still holds is moved
     * into the stores above when its task starts.
     */
    public static final String LEGACY = "conversations";

    private ConversationStores() {
    }

    public static List<String> all() {
        return List.of(META, PENDING, HISTORY, DEDUP, EXPIRY, LEGACY);
    }

    /** The changelog topic of a store, as Kafka Streams names it. */
    public static String changelog(String applicationId, String store) {
        if (!all().contains(store)) {
            throw new IllegalArgumentException("no store named " + store);
        }
        return applicationId + "-" + store + "-changelog";
    }
}
