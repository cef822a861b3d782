package io.helpstream.conversation;

import io.helpstream.protection.Redaction;
import io.helpstream.schema.CustomerBinding;
import io.helpstream.schema.TicketEvent;
import io.helpstream.schema.TicketEventType;
import io.helpstream.schema.TicketPriority;
import io.helpstream.tickets.Customer;
import io.helpstream.tickets.NewTicket;
import io.helpstream.tickets.SupportRepository;
import io.helpstream.tickets.TicketChange;
import io.helpstream.tickets.TicketEvents;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a handoff asks of the ticket system outside any turn, on the stream thread: the customer's open tickets for a
 * REQUESTED event, and the follow-up ticket the return-to-bot timeout policy opens. Both are rare (once per handoff)
 * and bounded by the database's connect and statement timeouts. A failure never fails the step: the event goes out
 * without the tickets, and for {@link #PAUSE} after it the database is not asked at all, so an outage costs the
 * stream thread one timeout per pause, not one per handoff.
 */
final class HandoffTickets {

    private static final Logger log = LoggerFactory.getLogger(HandoffTickets.class);

    /** How long the database is left alone after a failed call. */
    static final Duration PAUSE = Duration.ofSeconds(30);

    private final SupportRepository repository;
    private final Counter failures;
    private long pausedUntil;

    private HandoffTickets(SupportRepository repository, MeterRegistry registry) {
        this.repository = repository;
        this.failures = registry.counter("helpstream.handoffs.ticket.failures");
    }

    /** Asks {@code repository}. */
    static HandoffTickets of(SupportRepository repository, MeterRegistry registry) {
        return new HandoffTickets(repository, registry);
    }

    /** No ticket system: no open tickets are listed, no follow-up ticket is opened. */
    static HandoffTickets none(MeterRegistry registry) {
        return new HandoffTickets(null, registry);
    }

    /**
     * The database's id of a verified customer: the binding's, or looked up by its email (a gateway-asserted email
     * is bound before any turn looked the customer up). Empty for a claim or no customer, and when unknown.
     */
    Optional<String> customerId(CustomerBinding customer, long now) {
        if (customer == null || !customer.getVerified()) {
            return Optional.empty();
        }
        if (customer.getCustomerId() != null) {
            return Optional.of(customer.getCustomerId());
        }
        if (repository == null || now < pausedUntil) {
            return Optional.empty();
        }
        try {
            return repository.findCustomer(customer.getEmail()).map(Customer::id);
        } catch (RuntimeException e) {
            failed("look up a verified customer", e, now);
            return Optional.empty();
        }
    }

    /** The customer's open tickets, newest first; empty when unknown (no system, or it failed: logged). */
    List<String> open(String customerId, long now) {
        if (repository == null || now < pausedUntil) {
            return List.of();
        }
        try {
            return List.copyOf(repository.openTickets(customerId));
        } catch (RuntimeException e) {
            failed("list the open tickets of customer " + customerId, e, now);
            return List.of();
        }
    }

    /**
     * Opens the follow-up ticket once per {@code key} (a repeated call returns the same ticket) and returns its
     * CREATED event, for {@code conversationId} and {@code cause} (what the event names as its message); empty when
     * it could not be opened (logged).
     */
    Optional<TicketEvent> followUp(String customerId, String subject, String description, TicketPriority priority,
                                   String key, String conversationId, String cause, long now) {
        if (repository == null || now < pausedUntil) {
            return Optional.empty();
        }
        try {
            TicketChange change = repository.createTicket(new NewTicket(customerId, subject, description, priority),
                    key);
            return Optional.of(TicketEvents.of(TicketEventType.CREATED, change, key, conversationId, cause));
        } catch (RuntimeException e) {
            failed("open a follow-up ticket for conversation " + conversationId, e, now);
            return Optional.empty();
        }
    }

    /** True when there is a ticket system to ask. */
    boolean available() {
        return repository != null;
    }

    private void failed(String what, RuntimeException e, long now) {
        failures.increment();
        pausedUntil = now + PAUSE.toMillis();
        log.warn("Could not {} ({}); handoffs go on without tickets for {}", what, Redaction.describe(e), PAUSE);
    }
}
