package io.helpstream.journal.postgres;

import io.helpstream.journal.JournalEntry;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Locale;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.StatementContext;

/** A row of {@code turn_journal} as a {@link JournalEntry}. */
public final class JournalEntryMapper implements RowMapper<JournalEntry> {

    @Override
    public JournalEntry map(ResultSet rs, StatementContext ctx) throws SQLException {
        return new JournalEntry(rs.getString("conversation_id"), rs.getString("message_id"), rs.getInt("step"),
                JournalEntry.Kind.valueOf(rs.getString("kind").toUpperCase(Locale.ROOT)), rs.getString("payload"));
    }
}
