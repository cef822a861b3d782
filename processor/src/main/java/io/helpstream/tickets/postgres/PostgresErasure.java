package io.helpstream.tickets.postgres;

import io.helpstream.journal.postgres.JournalErasure;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * A customer's right to be forgotten, in the support database, in one transaction: their row keeps its id (the tickets
 * point at it) and loses their name, email and phone; their tickets are kept, their subject, description and notes
 * replaced by {@value #ERASED}; and wherever else a ticket or a note names the email, the email is replaced. What is
 * left tells that a customer had tickets, when, how urgent and how far they got; nothing says who. The journal of
 * turn decisions loses every step of the customer's conversations and every other step that names the email: its
 * model responses and tool results quote what the customer wrote and what the tools found.
 */
public final class PostgresErasure {

    static final String ERASED = "[erased]";
    private static final Pattern REGEX_SPECIAL = Pattern.compile("[\\\\.^$|?*+()\\[\\]{}]");

    /** What the erasure changed. */
    public record Erased(Optional<String> customerId, int tickets, int notes, int mentions, int journalSteps) {
    }

    private final Jdbi jdbi;

    public PostgresErasure(Jdbi jdbi) {
        this.jdbi = Objects.requireNonNull(jdbi, "jdbi");
    }

    public Erased erase(String email) {
        return erase(email, Set.of());
    }

    /** Erases the customer, and the journal steps of {@code conversations} (theirs, found in the stores). */
    public Erased erase(String email, Set<String> conversations) {
        String normal = Objects.requireNonNull(email, "email").strip().toLowerCase(Locale.ROOT);
        Set<String> ids = Set.copyOf(conversations);
        return jdbi.inTransaction(handle -> {
            Optional<String> customer = anonymiseCustomer(handle, normal);
            int tickets = customer.map(id -> eraseTickets(handle, id)).orElse(0);
            int notes = customer.map(id -> eraseNotes(handle, id)).orElse(0);
            return new Erased(customer, tickets, notes, eraseMentions(handle, normal),
                    JournalErasure.erase(handle, normal, ids));
        });
    }

    /** The customer's row, its email made unique again from its id (the email column is unique). */
    private static Optional<String> anonymiseCustomer(Handle handle, String email) {
        return handle.createQuery("""
                        UPDATE customers
                           SET name = 'erased customer', email = 'erased-' || id || '@erased.invalid', phone = NULL,
                               last_activity = NULL
                         WHERE lower(email) = :email
                        RETURNING id""")
                .bind("email", email).mapTo(String.class).findOne();
    }

    private static int eraseTickets(Handle handle, String customerId) {
        return handle.createUpdate("""
                        UPDATE tickets SET subject = :erased, description = :erased, updated_at = now()
                         WHERE customer_id = :customer""")
                .bind("erased", ERASED).bind("customer", customerId).execute();
    }

    private static int eraseNotes(Handle handle, String customerId) {
        return handle.createUpdate("""
                        UPDATE ticket_notes SET note = :erased
                         WHERE ticket_id IN (SELECT id FROM tickets WHERE customer_id = :customer)""")
                .bind("erased", ERASED).bind("customer", customerId).execute();
    }

    /** The email wherever another customer's ticket or note quotes it, in any case. */
    private static int eraseMentions(Handle handle, String email) {
        String pattern = REGEX_SPECIAL.matcher(email).replaceAll("\\\\$0");
        int tickets = handle.createUpdate("""
                        UPDATE tickets
                           SET subject = regexp_replace(subject, :pattern, :erased, 'gi'),
                               description = regexp_replace(description, :pattern, :erased, 'gi')
                         WHERE position(:email IN lower(subject)) > 0 OR position(:email IN lower(description)) > 0""")
                .bind("pattern", pattern).bind("erased", ERASED).bind("email", email).execute();
        int notes = handle.createUpdate("""
                        UPDATE ticket_notes SET note = regexp_replace(note, :pattern, :erased, 'gi')
                         WHERE position(:email IN lower(note)) > 0""")
                .bind("pattern", pattern).bind("erased", ERASED).bind("email", email).execute();
        return tickets + notes;
    }
}
