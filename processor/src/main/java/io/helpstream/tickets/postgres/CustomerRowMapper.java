package io.helpstream.tickets.postgres;

import io.helpstream.tickets.Customer;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.StatementContext;

/** Maps a {@code customers} row. */
public final class CustomerRowMapper implements RowMapper<Customer> {

    @Override
    public Customer map(ResultSet rs, StatementContext ctx) throws SQLException {
        return new Customer(rs.getString("id"), rs.getString("name"), rs.getString("email"), rs.getString("phone"),
                rs.getString("tier"), instant(rs, "created_at"), instant(rs, "last_activity"));
    }

    static Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }
}
