package io.helpstream.tickets.postgres;

import io.helpstream.tickets.RecordedTicketChange;
import io.helpstream.tickets.TicketChange;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.sqlobject.config.RegisterRowMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/** Claims and completes idempotency keys in {@code tool_idempotency}. Each call runs inside the write's transaction. */
interface IdempotencyDao {

    /**
     * Claims the key and returns when; empty when the key was already used. A concurrent claimer of the same key
     * blocks on the primary key until the first transaction ends, and then sees it as used (or claims it after a
     * rollback).
     */
    @SqlQuery("INSERT INTO tool_idempotency (key) VALUES (:key) ON CONFLICT (key) DO NOTHING RETURNING created_at")
    Optional<Instant> claim(@Bind("key") String key);

    /** Records what the write did: the ticket, whether it changed, and if so the kind of change and the result. */
    @SqlUpdate("UPDATE tool_idempotency SET ticket_id = :ticketId, changed = :changed, event_type = :eventType,"
            + " status = :status, priority = :priority WHERE key = :key")
    void complete(@Bind("key") String key, @Bind("ticketId") String ticketId, @Bind("changed") boolean changed,
                  @Bind("eventType") String eventType, @Bind("status") String status,
                  @Bind("priority") String priority);

    /** The changes recorded under keys matching the LIKE pattern, oldest first. */
    @SqlQuery("SELECT i.key, i.event_type, i.ticket_id, t.customer_id, t.subject, i.status, i.priority, i.created_at"
            + " FROM tool_idempotency i JOIN tickets t ON t.id = i.ticket_id"
            + " WHERE i.key LIKE :pattern ESCAPE '!' AND i.changed ORDER BY i.created_at, i.key")
    @RegisterRowMapper(RecordedTicketChangeMapper.class)
    List<RecordedTicketChange> changedLike(@Bind("pattern") String pattern);

    /** Gives a claimed key back when the write turned out to have nothing to apply to. */
    @SqlUpdate("DELETE FROM tool_idempotency WHERE key = :key")
    void release(@Bind("key") String key);

    /** What the first call with the key did, with its ticket as it is now. */
    @SqlQuery("""
            SELECT t.*, c.email AS customer_email, i.changed, i.created_at AS recorded_at
            FROM tool_idempotency i JOIN tickets t ON t.id = i.ticket_id JOIN customers c ON c.id = t.customer_id
            WHERE i.key = :key""")
    @RegisterRowMapper(ReplayedChangeMapper.class)
    Optional<TicketChange> replay(@Bind("key") String key);
}
