package io.helpstream.journal.postgres;

import io.helpstream.fencing.Fence;
import io.helpstream.fencing.FencedException;
import io.helpstream.fencing.postgres.FenceCheck;
import io.helpstream.journal.JournalEntry;
import io.helpstream.journal.TurnJournal;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * {@link TurnJournal} in {@code turn_journal}. Each write checks the turn's fence inside its own transaction, as ticket
 * writes do ({@link FenceCheck}); recording a step, a turn's most frequent write, is a single statement that does both.
 */
public final class PostgresTurnJournal implements TurnJournal {

    private final Jdbi jdbi;

    public PostgresTurnJournal(Jdbi jdbi) {
        this.jdbi = Objects.requireNonNull(jdbi, "jdbi");
    }

    @Override
    public List<JournalEntry> recorded(String conversationId, String messageId) {
        return jdbi.withExtension(JournalDao.class, dao -> dao.recorded(conversationId, messageId));
    }

    @Override
    public void record(JournalEntry entry, Fence fence) {
        fence.check();
        Long epoch = fence.scoped() ? fence.epoch() : null;
        int written = jdbi.withExtension(JournalDao.class, dao -> dao.record(entry.conversationId(),
                entry.messageId(), entry.step(), entry.kind().name().toLowerCase(Locale.ROOT), entry.payload(),
                fence.scope(), epoch));
        if (written == 0) {
            // The statement found the task at another epoch; the check names it.
            jdbi.useTransaction(h -> FenceCheck.verify(h, fence));
            throw new FencedException(fence + " is stale: task " + fence.scope() + " was claimed by a newer owner");
        }
    }

    @Override
    public void forgetFrom(String conversationId, String messageId, int step, Fence fence) {
        jdbi.useTransaction(h -> {
            asynchronousCommit(h);
            FenceCheck.verify(h, fence);
            h.attach(JournalDao.class).forgetFrom(conversationId, messageId, step);
        });
    }

    @Override
    public void answered(Collection<MessageRef> messages) {
        if (messages.isEmpty()) {
            return;
        }
        String[] conversations = messages.stream().map(MessageRef::conversationId).toArray(String[]::new);
        String[] ids = messages.stream().map(MessageRef::messageId).toArray(String[]::new);
        jdbi.useTransaction(h -> {
            asynchronousCommit(h);
            h.attach(JournalDao.class).answered(conversations, ids);
        });
    }

    /**
     * The transaction's commit does not wait for its WAL to reach the disk. Only a crash of PostgreSQL itself can
     * lose it, and then only the steps recorded after the last synchronous commit (a ticket write flushes the WAL up
     * to it, earlier steps included, so no ticket write outlives the journal step that led to it); a lost step makes a
     * rerun ask the model again, as a turn without a journal would.
     */
    private static void asynchronousCommit(Handle handle) {
        handle.execute("SET LOCAL synchronous_commit = off");
    }

    @Override
    public int removeOld(Duration retention, Duration maxAge) {
        return jdbi.withExtension(JournalDao.class, dao -> dao.removeOld(retention.toMillis(), maxAge.toMillis()));
    }
}
