package io.helpstream.tickets.postgres;

import io.helpstream.tickets.Ticket;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.sqlobject.config.RegisterRowMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/** Reads and writes {@code tickets} and their {@code ticket_notes}. Status and priority are lowercase codes. */
@RegisterRowMapper(TicketRowMapper.class)
interface TicketDao {

    /** Served by {@code tickets_customer_created_idx}. */
    String RECENT_FOR_CUSTOMER = """
            SELECT * FROM tickets WHERE customer_id = :customerId
            ORDER BY created_at DESC, id DESC LIMIT :limit""";

    @SqlQuery("SELECT * FROM tickets WHERE id = :id")
    Optional<Ticket> findById(@Bind("id") String id);

    /** Locks the row until the transaction ends, so concurrent writers of one ticket take turns. */
    @SqlQuery("SELECT * FROM tickets WHERE id = :id FOR UPDATE")
    Optional<Ticket> lockById(@Bind("id") String id);

    /** Served by {@code tickets_customer_created_idx}, filtered on the status. */
    @SqlQuery("""
            SELECT id FROM tickets WHERE customer_id = :customerId AND status IN ('open', 'in_progress')
            ORDER BY created_at DESC, id DESC LIMIT :limit""")
    List<String> openForCustomer(@Bind("customerId") String customerId, @Bind("limit") int limit);

    @SqlQuery(RECENT_FOR_CUSTOMER)
    List<Ticket> recentForCustomer(@Bind("customerId") String customerId, @Bind("limit") int limit);

    @SqlQuery("""
            INSERT INTO tickets (customer_id, subject, description, priority)
            VALUES (:customerId, :subject, :description, :priority)
            RETURNING *""")
    Ticket insert(@Bind("customerId") String customerId, @Bind("subject") String subject,
                  @Bind("description") String description, @Bind("priority") String priority);

    @SqlQuery("""
            UPDATE tickets SET status = :status, assigned_agent = :agent, updated_at = now()
            WHERE id = :id RETURNING *""")
    Ticket updateStatus(@Bind("id") String id, @Bind("status") String status, @Bind("agent") String assignedAgent);

    @SqlQuery("UPDATE tickets SET priority = :priority, updated_at = now() WHERE id = :id RETURNING *")
    Ticket updatePriority(@Bind("id") String id, @Bind("priority") String priority);

    @SqlUpdate("INSERT INTO ticket_notes (ticket_id, kind, author, note, written_for)"
            + " VALUES (:ticketId, :kind, :author, :note, :writtenFor)")
    void addNote(@Bind("ticketId") String ticketId, @Bind("kind") String kind, @Bind("author") String author,
                 @Bind("writtenFor") String writtenFor,
                 @Bind("note") String note);
}
