package io.helpstream.tickets;

import java.time.LocalDate;

/**
 * Model tokens spent per verified customer and UTC day, shared by every conversation, partition and instance: the
 * count behind the tokens-per-customer-per-day budget. A customer is named by the verified email of their
 * conversation; an email no customer has counts nothing. A failure surfaces as {@link SupportRepositoryException}.
 */
public interface TokenLedger {

    /** Counts nothing and finds nothing: for tests and tools run without a database. */
    TokenLedger NONE = new TokenLedger() {
        @Override
        public long spent(String email, LocalDate day) {
            return 0;
        }

        @Override
        public void add(String email, LocalDate day, long tokens) {
        }
    };

    /** Tokens the customer with this email spent on {@code day}; 0 when none or no such customer. */
    long spent(String email, LocalDate day);

    /** Adds tokens to the customer's count for {@code day}; nothing when no customer has the email. */
    void add(String email, LocalDate day, long tokens);
}
