package io.helpstream.journal;

import io.helpstream.fencing.Fence;
import io.helpstream.fencing.FencedException;
import io.helpstream.journal.JournalEntry.Kind;
import io.helpstream.journal.TurnJournal.MessageRef;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * One run of a turn against its journal: the steps recorded by earlier runs of the same message, replayed in order,
 * then every new step recorded before the turn acts on it. Each step, model response or tool result, takes the next
 * step number; a run replays while the recorded step at its position is of the kind it expects and fits what it asks
 * (the same tool call), and goes live at the first one that does not: from there it asks the model and calls the
 * tools, recording each step, and removes what an earlier run recorded beyond that point.
 *
 * <p>When the journal cannot be read or written (the database is away) the run goes on unrecorded from that step:
 * a rerun then asks the model again from there, as it would without a journal. A write refused by the fence
 * ({@link FencedException}) is never swallowed: it ends the turn.
 *
 * <p>Thread-safe; one turn's steps are taken one after the other anyway.
 */
public final class RecordedTurn {

    /** The key under which the agent puts the run into a turn's invocation parameters. */
    public static final String PARAMETER = "helpstream.recordedTurn";

    private final TurnJournals journals;
    private final MessageRef turn;
    private final List<String> answers;
    private final Fence fence;
    private final List<JournalEntry> recorded;
    private int next = 1;
    private boolean live;
    private boolean unrecorded;

    RecordedTurn(TurnJournals journals, MessageRef turn, List<String> answers, Fence fence,
                 List<JournalEntry> recorded, boolean unrecorded) {
        this.journals = Objects.requireNonNull(journals, "journals");
        this.turn = Objects.requireNonNull(turn, "turn");
        this.answers = List.copyOf(answers);
        this.fence = Objects.requireNonNull(fence, "fence");
        this.recorded = List.copyOf(recorded);
        this.unrecorded = unrecorded;
    }

    /** The ids of the messages this run answers, oldest first. */
    public List<String> answers() {
        return answers;
    }

    /** The fence its steps are recorded under. */
    public Fence fence() {
        return fence;
    }

    /**
     * The recorded step at this run's position, when it is of {@code kind} and {@code fits} accepts it: the run moves
     * past it. Otherwise empty, and the run is live from here on.
     */
    public synchronized Optional<JournalEntry> replay(Kind kind, Predicate<JournalEntry> fits) {
        if (live || unrecorded) {
            return Optional.empty();
        }
        if (next <= recorded.size()) {
            JournalEntry entry = recorded.get(next - 1);
            if (entry.step() == next && entry.kind() == kind && fits.test(entry)) {
                next++;
                journals.counted(kind, "replayed");
                return Optional.of(entry);
            }
            goLive(true);
        } else {
            goLive(false);
        }
        return Optional.empty();
    }

    /** Records the next step, before the turn acts on it. */
    public synchronized void record(Kind kind, String payload) {
        Objects.requireNonNull(payload, "payload");
        int step = next++;
        live = true;
        if (unrecorded) {
            return;
        }
        try {
            fence.check();
            journals.store().record(new JournalEntry(turn.conversationId(), turn.messageId(), step, kind, payload),
                    fence);
            journals.recordedHere(turn);
            journals.counted(kind, "recorded");
        } catch (FencedException e) {
            throw e;
        } catch (RuntimeException e) {
            unrecorded(step, e);
        }
    }

    /** How many steps this run has taken, replayed or not. */
    public synchronized int steps() {
        return next - 1;
    }

    private void goLive(boolean leftovers) {
        live = true;
        if (!leftovers) {
            return;
        }
        try {
            journals.store().forgetFrom(turn.conversationId(), turn.messageId(), next, fence);
        } catch (FencedException e) {
            throw e;
        } catch (RuntimeException e) {
            unrecorded(next, e);
        }
    }

    private void unrecorded(int step, RuntimeException e) {
        unrecorded = true;
        journals.failed("record step " + step + " of the turn for message " + turn.messageId() + " of conversation "
                + turn.conversationId(), e);
    }
}
