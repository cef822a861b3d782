package io.helpstream.tickets.postgres;

import io.helpstream.tickets.Customer;
import java.util.Optional;
import org.jdbi.v3.sqlobject.config.RegisterRowMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;

/** Reads and touches {@code customers}. */
@RegisterRowMapper(CustomerRowMapper.class)
interface CustomerDao {

    /** Served by the unique index on {@code lower(email)}. */
    String FIND_BY_EMAIL = "SELECT * FROM customers WHERE lower(email) = lower(:email)";

    @SqlQuery(FIND_BY_EMAIL)
    Optional<Customer> findByEmail(@Bind("email") String email);

    /** Marks the customer active now and returns their email; empty when there is no such customer. */
    @SqlQuery("UPDATE customers SET last_activity = now() WHERE id = :id RETURNING email")
    Optional<String> recordActivity(@Bind("id") String customerId);
}
