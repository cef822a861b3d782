package io.helpstream.tickets.postgres;

import io.helpstream.schema.TicketEventType;
import io.helpstream.tickets.RecordedTicketChange;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Locale;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.StatementContext;

/** Maps a {@code tool_idempotency} row joined with its ticket. */
public final class RecordedTicketChangeMapper implements RowMapper<RecordedTicketChange> {

    @Override
    public RecordedTicketChange map(ResultSet rs, StatementContext ctx) throws SQLException {
        return new RecordedTicketChange(rs.getString("key"),
                TicketEventType.valueOf(rs.getString("event_type").toUpperCase(Locale.ROOT)),
                rs.getString("ticket_id"), rs.getString("customer_id"), rs.getString("subject"),
                TicketCodes.status(rs.getString("status")), TicketCodes.priority(rs.getString("priority")),
                rs.getTimestamp("created_at").toInstant());
    }
}
