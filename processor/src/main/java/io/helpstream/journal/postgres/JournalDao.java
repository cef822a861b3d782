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

    /** Records the step, replacing one an earlier run recorded there; a recorded step is not answered yet. */
    @SqlUpdate("""
            INSERT INTO turn_journal (conversation_id, message_id, step, kind, payload, fence_scope, fence_epoch)
            VALUES (:conversationId, :messageId, :step, :kind, :payload, :scope, :epoch)
            ON CONFLICT (conversation_id, message_id, step) DO UPDATE SET kind = excluded.kind,
                payload = excluded.payload, fence_scope = excluded.fence_scope, fence_epoch = excluded.fence_epoch,
                recorded_at = now(), answered_at = NULL""")
    void record(@Bind("conversationId") String conversationId, @Bind("messageId") String messageId,
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
