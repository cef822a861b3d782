package io.helpstream.tickets.postgres;

import static io.helpstream.tickets.postgres.CustomerRowMapper.instant;

import io.helpstream.tickets.Ticket;
import java.sql.ResultSet;
import java.sql.SQLException;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.StatementContext;

/** Maps a {@code tickets} row. */
public final class TicketRowMapper implements RowMapper<Ticket> {

    @Override
    public Ticket map(ResultSet rs, StatementContext ctx) throws SQLException {
        return new Ticket(rs.getString("id"), rs.getString("customer_id"), rs.getString("subject"),
                rs.getString("description"), TicketCodes.status(rs.getString("status")),
                TicketCodes.priority(rs.getString("priority")), instant(rs, "created_at"), instant(rs, "updated_at"),
                rs.getString("assigned_agent"));
    }
}
