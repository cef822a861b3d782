package io.helpstream.tickets;

import java.time.Instant;
import java.util.Objects;

/** A customer as stored in the database. */
public record Customer(String id, String name, String email, String phone, String tier, Instant createdAt,
                       Instant lastActivityAt) {
    public Customer {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(email, "email");
        Objects.requireNonNull(tier, "tier");
        Objects.requireNonNull(createdAt, "createdAt");
    }
}
