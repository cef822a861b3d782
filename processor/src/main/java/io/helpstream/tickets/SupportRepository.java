package io.helpstream.tickets;

import io.helpstream.fencing.Fence;
import io.helpstream.schema.TicketStatus;
import java.util.List;
import java.util.Optional;

/**
 * The support database: customers, tickets and FAQ entries. The port every tool talks to; PostgreSQL is its adapter
 * and a cache may decorate it.
 *
 * <p>Every write takes an idempotency key: a second call with the same key applies nothing and returns the first
 * call's result with {@link TicketChange#replayed()} set. A failure of the database surfaces as
 * {@link SupportRepositoryException}.
 *
 * <p>Every write made for a turn carries the turn's {@link Fence}, checked inside the write's own transaction: once a
 * newer owner claimed the turn's task the write is refused with {@link io.helpstream.fencing.FencedException} and
 * changes nothing. The overloads without a fence are for writes made outside any task (tests, tools run by hand).
 */
public interface SupportRepository {

    /** How many recent tickets a profile carries. */
    int PROFILE_TICKETS = 3;

    /** The customer with the email and their most recent tickets, for showing; a cache may answer it. */
    Optional<CustomerProfile> findCustomerProfile(String email);

    /**
     * The customer with the email, from the system of record itself, never from a cache: what every decision about
     * whose tickets a conversation may touch is made with.
     */
    Optional<Customer> findCustomer(String email);

    Optional<Ticket> findTicket(String ticketId);

    /** Most ids {@link #openTickets} returns. */
    int OPEN_TICKETS = 10;

    /**
     * The ids of the customer's tickets that are open or in progress, newest first, at most {@link #OPEN_TICKETS}:
     * what a human taking over a conversation needs to see. From the system of record, never from a cache.
     */
    List<String> openTickets(String customerId);

    TicketChange createTicket(NewTicket ticket, String idempotencyKey, Fence fence);

    default TicketChange createTicket(NewTicket ticket, String idempotencyKey) {
        return createTicket(ticket, idempotencyKey, Fence.NONE);
    }

    /** Sets the status, the assigned agent and records the notes; empty when there is no such ticket. */
    Optional<TicketChange> updateStatus(String ticketId, TicketStatus status, String assignedAgent, String notes,
                                        String idempotencyKey, Fence fence);

    default Optional<TicketChange> updateStatus(String ticketId, TicketStatus status, String assignedAgent,
                                                String notes, String idempotencyKey) {
        return updateStatus(ticketId, status, assignedAgent, notes, idempotencyKey, Fence.NONE);
    }

    /**
     * Raises the ticket's priority by one level and records the reason; an urgent ticket stays urgent
     * ({@code changed == false}). Empty when there is no such ticket.
     */
    Optional<TicketChange> escalate(String ticketId, String reason, String author, String idempotencyKey,
                                    Fence fence);

    default Optional<TicketChange> escalate(String ticketId, String reason, String author, String idempotencyKey) {
        return escalate(ticketId, reason, author, idempotencyKey, Fence.NONE);
    }

    /** {@link #escalate(String, String, String, String)} with a note that names no author. */
    default Optional<TicketChange> escalate(String ticketId, String reason, String idempotencyKey) {
        return escalate(ticketId, reason, null, idempotencyKey);
    }

    /**
     * The ticket changes written with idempotency keys that start with {@code keyPrefix}, oldest first; writes that
     * changed nothing are left out. Whatever attempt of a turn made a write, this finds it.
     */
    List<RecordedTicketChange> changesRecordedUnder(String keyPrefix);

    /** The FAQ entry whose topic the question mentions, if any. */
    Optional<FaqEntry> findFaqAnswer(String question);

    List<FaqEntry> faqEntries();
}
