package io.helpstream.tickets.postgres;

import static io.helpstream.tickets.postgres.CustomerRowMapper.instant;

import io.helpstream.tickets.TicketChange;
import java.sql.ResultSet;
import java.sql.SQLException;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.StatementContext;

/**
 * Maps a used {@code tool_idempotency} row joined with its ticket as it is now and the ticket's customer email: the
 * outcome a replayed write returns.
 */
public final class ReplayedChangeMapper implements RowMapper<TicketChange> {

    private final TicketRowMapper tickets = new TicketRowMapper();

    @Override
    public TicketChange map(ResultSet rs, StatementContext ctx) throws SQLException {
        return new TicketChange(tickets.map(rs, ctx), rs.getString("customer_email"), rs.getBoolean("changed"), true,
                instant(rs, "recorded_at"));
    }
}
