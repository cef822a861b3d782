package io.helpstream.tickets.postgres;

import java.time.LocalDate;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/** Reads and adds to {@code customer_token_usage}, addressing the customer by email. */
interface TokenUsageDao {

    @SqlQuery("SELECT coalesce(sum(u.tokens), 0) FROM customer_token_usage u JOIN customers c ON c.id = u.customer_id"
            + " WHERE lower(c.email) = lower(:email) AND u.day = :day")
    long spent(@Bind("email") String email, @Bind("day") LocalDate day);

    /** One statement, so that concurrent turns of the same customer add up instead of overwriting each other. */
    @SqlUpdate("INSERT INTO customer_token_usage (customer_id, day, tokens)"
            + " SELECT id, :day, :tokens FROM customers WHERE lower(email) = lower(:email)"
            + " ON CONFLICT (customer_id, day) DO UPDATE SET tokens = customer_token_usage.tokens + excluded.tokens")
    int add(@Bind("email") String email, @Bind("day") LocalDate day, @Bind("tokens") long tokens);
}
