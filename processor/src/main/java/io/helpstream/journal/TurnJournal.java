package io.helpstream.journal;

import io.helpstream.fencing.Fence;
import java.time.Duration;
import java.util.Collection;
import java.util.List;

/**
 * Where the steps of turns are recorded: the port of the journal. Writes carry the turn's fence and are refused
 * ({@link io.helpstream.fencing.FencedException}) once a newer owner claimed the turn's task; a failure of the store
 * itself is any other runtime exception.
 */
public interface TurnJournal {

    /** The steps recorded for the turn named by this message, in step order. */
    List<JournalEntry> recorded(String conversationId, String messageId);

    /** Records one step, replacing whatever was recorded at that step before. */
    void record(JournalEntry entry, Fence fence);

    /** Removes the turn's steps from {@code step} on: they belong to an earlier run that decided differently. */
    void forgetFrom(String conversationId, String messageId, int step, Fence fence);

    /** Marks the turns of these messages answered: their steps are kept for the retention, then removed. */
    void answered(Collection<MessageRef> messages);

    /**
     * Removes the steps of turns answered longer than {@code retention} ago, and every step recorded longer than
     * {@code maxAge} ago (a turn whose answer was never marked: its process died); returns how many.
     */
    int removeOld(Duration retention, Duration maxAge);

    /** A turn's name: its conversation and first message. */
    record MessageRef(String conversationId, String messageId) {
    }
}
