package io.helpstream.journal.postgres;

import io.helpstream.journal.JournalEntry;
import java.util.List;
import org.jdbi.v3.sqlobject.config.RegisterRowMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/** The steps of {@code turn_journal}. */
interface JournalDao {

    @SqlQuery("SELECT conversation_id, message_id, step, kind, payload FROM turn_journal"
            + " WHERE conversation_id = :conversationId AND message_id = :messageId ORDER BY step")
    @RegisterRowMapper(JournalEntryMapper.class)
    List<JournalEntry> recorded(@Bind("conversationId") String conversationId, @Bind("messageId") String messageId);

    /**
     * Records the step, replacing one an earlier run recorded there; a recorded step is not answered yet. One
     * statement, so one round trip and its own transaction: it checks the fence inside (a scoped fence's epoch must
     * still be the task's, and the shared lock it takes on the task's row holds until the commit, so a newer owner's
     * claim waits for it) and commits asynchronously ({@code set_config} of {@code synchronous_commit} for this
     * transaction only). Returns 0 when the fence is stale and nothing was written.
     */
    @SqlUpdate("""
            WITH fence AS (SELECT epoch FROM task_fences WHERE scope = :scope FOR SHARE),
                 asynchronous AS (SELECT set_config('synchronous_commit', 'off', true))
            INSERT INTO turn_journal (conversation_id, message_id, step, kind, payload, fence_scope, fence_epoch)
            SELECT :conversationId, :messageId, :step, :kind, :payload, :scope, :epoch FROM asynchronous
             WHERE CAST(:scope AS text) IS NULL OR (SELECT epoch FROM fence) = :epoch
            ON CONFLICT (conversation_id, message_id, step) DO UPDATE SET kind = excluded.kind,
                payload = excluded.payload, fence_scope = excluded.fence_scope, fence_epoch = excluded.fence_epoch,
                recorded_at = now(), answered_at = NULL""")
    int record(@Bind("conversationId") String conversationId, @Bind("messageId") String messageId,
               @Bind("step") int step, @Bind("kind") String kind, @Bind("payload") String payload,
               @Bind("scope") String scope, @Bind("epoch") Long epoch);

    @SqlUpdate("DELETE FROM turn_journal WHERE conversation_id = :conversationId AND message_id = :messageId"
            + " AND step >= :step")
    void forgetFrom(@Bind("conversationId") String conversationId, @Bind("messageId") String messageId,
                    @Bind("step") int step);

    @SqlUpdate("""
            UPDATE turn_journal SET answered_at = now()
            WHERE (conversation_id, message_id) IN (SELECT * FROM unnest(:conversations::text[], :messages::text[]))
              AND answered_at IS NULL""")
    int answered(@Bind("conversations") String[] conversations, @Bind("messages") String[] messages);

    /** Removes the steps of the conversations and every step whose payload names the (lowercase) email. */
    @SqlUpdate("""
            DELETE FROM turn_journal
             WHERE conversation_id = ANY(:conversations) OR position(:email IN lower(payload)) > 0""")
    int erase(@Bind("conversations") String[] conversations, @Bind("email") String email);

    @SqlUpdate("DELETE FROM turn_journal WHERE answered_at < now() - :retentionMs * interval '1 millisecond'"
            + " OR recorded_at < now() - :maxAgeMs * interval '1 millisecond'")
    int removeOld(@Bind("retentionMs") long retentionMs, @Bind("maxAgeMs") long maxAgeMs);
}
