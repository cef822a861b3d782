package io.helpstream.tickets.postgres;

import io.helpstream.tickets.SupportRepositoryException;
import io.helpstream.tickets.TokenLedger;
import java.time.LocalDate;
import java.util.Objects;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.JdbiException;

/** {@link TokenLedger} on PostgreSQL, never cached: the count must be the same for every instance. */
public final class PostgresTokenLedger implements TokenLedger {

    private final Jdbi jdbi;

    public PostgresTokenLedger(Jdbi jdbi) {
        this.jdbi = Objects.requireNonNull(jdbi, "jdbi");
    }

    @Override
    public long spent(String email, LocalDate day) {
        try {
            return jdbi.withExtension(TokenUsageDao.class, dao -> dao.spent(email, day));
        } catch (JdbiException e) {
            throw new SupportRepositoryException("read the customer's token usage", e);
        }
    }

    @Override
    public void add(String email, LocalDate day, long tokens) {
        if (tokens <= 0) {
            return;
        }
        try {
            jdbi.useExtension(TokenUsageDao.class, dao -> dao.add(email, day, tokens));
        } catch (JdbiException e) {
            throw new SupportRepositoryException("add to the customer's token usage", e);
        }
    }
}
