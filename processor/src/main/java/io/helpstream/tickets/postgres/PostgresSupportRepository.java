package io.helpstream.tickets.postgres;

import io.helpstream.fencing.Fence;
import io.helpstream.fencing.postgres.FenceCheck;
import io.helpstream.schema.TicketEventType;
import io.helpstream.schema.TicketPriority;
import io.helpstream.schema.TicketStatus;
import io.helpstream.tickets.Customer;
import io.helpstream.tickets.CustomerProfile;
import io.helpstream.tickets.TicketSummary;
import io.helpstream.tickets.FaqEntry;
import io.helpstream.tickets.NewTicket;
import io.helpstream.tickets.RecordedTicketChange;
import io.helpstream.tickets.SupportRepository;
import io.helpstream.tickets.SupportRepositoryException;
import io.helpstream.tickets.Ticket;
import io.helpstream.tickets.TicketChange;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.JdbiException;

/**
 * {@link SupportRepository} on PostgreSQL through Jdbi SQL objects. The {@link Jdbi} must have the SqlObjectPlugin
 * installed ({@link Database#createJdbi}).
 *
 * <p>Every write runs in one transaction that first checks its fence ({@link FenceCheck}: a write of a task's earlier
 * owner is refused), then claims its idempotency key; see {@link IdempotencyDao#claim}. A key that was used before
 * returns the recorded outcome with the ticket as it is now.
 */
public final class PostgresSupportRepository implements SupportRepository {

    private static final String STATUS_UPDATE_NOTE = "status_update";
    private static final String ESCALATION_NOTE = "escalation";

    private final Jdbi jdbi;

    public PostgresSupportRepository(Jdbi jdbi) {
        this.jdbi = Objects.requireNonNull(jdbi, "jdbi");
    }

    @Override
    public Optional<CustomerProfile> findCustomerProfile(String email) {
        Objects.requireNonNull(email, "email");
        return guarded("look up a customer", () -> jdbi.withHandle(h -> h.attach(CustomerDao.class)
                .findByEmail(email.strip())
                .map(customer -> new CustomerProfile(customer,
                        h.attach(TicketDao.class).recentForCustomer(customer.id(), PROFILE_TICKETS).stream()
                                .map(TicketSummary::of).toList()))));
    }

    @Override
    public Optional<Customer> findCustomer(String email) {
        Objects.requireNonNull(email, "email");
        return guarded("look up a customer", () -> jdbi.withExtension(CustomerDao.class,
                dao -> dao.findByEmail(email.strip())));
    }

    @Override
    public Optional<Ticket> findTicket(String ticketId) {
        Objects.requireNonNull(ticketId, "ticketId");
        return guarded("look up a ticket", () -> jdbi.withExtension(TicketDao.class, dao -> dao.findById(ticketId)));
    }

    @Override
    public List<String> openTickets(String customerId) {
        Objects.requireNonNull(customerId, "customerId");
        return guarded("list open tickets", () -> jdbi.withExtension(TicketDao.class,
                dao -> dao.openForCustomer(customerId, OPEN_TICKETS)));
    }

    /** @throws IllegalArgumentException when the customer does not exist (and then no key is recorded) */
    @Override
    public TicketChange createTicket(NewTicket request, String idempotencyKey, Fence fence) {
        Objects.requireNonNull(request, "request");
        requireKey(idempotencyKey);
        Objects.requireNonNull(fence, "fence");
        return guarded("create a ticket", () -> jdbi.inTransaction(h -> {
            FenceCheck.verify(h, fence);
            IdempotencyDao keys = h.attach(IdempotencyDao.class);
            Optional<Instant> claimed = keys.claim(idempotencyKey);
            if (claimed.isEmpty()) {
                TicketChange earlier = replay(h, idempotencyKey, null);
                if (!earlier.ticket().customerId().equals(request.customerId())) {
                    // Keys are scoped by conversation; this is a second line: never hand one customer's ticket over.
                    throw new IllegalArgumentException("idempotency key " + idempotencyKey + " was used for a ticket "
                            + "of another customer");
                }
                return earlier;
            }
            String email = h.attach(CustomerDao.class).recordActivity(request.customerId())
                    .orElseThrow(() -> new IllegalArgumentException("no customer with id " + request.customerId()));
            Ticket ticket = h.attach(TicketDao.class).insert(request.customerId(), request.subject(),
                    request.description(), TicketCodes.code(request.priority()));
            complete(keys, idempotencyKey, ticket, true, TicketEventType.CREATED);
            return new TicketChange(ticket, email, true, false, claimed.get());
        }));
    }

    @Override
    public Optional<TicketChange> updateStatus(String ticketId, TicketStatus status, String assignedAgent,
                                               String notes, String idempotencyKey, Fence fence) {
        Objects.requireNonNull(ticketId, "ticketId");
        Objects.requireNonNull(status, "status");
        requireKey(idempotencyKey);
        Objects.requireNonNull(fence, "fence");
        return guarded("update a ticket", () -> jdbi.inTransaction(h -> changeTicket(h, fence, ticketId,
                idempotencyKey, TicketEventType.STATUS_CHANGED, old -> {
                    boolean changed = old.status() != status || !Objects.equals(old.assignedAgent(), assignedAgent);
                    TicketDao tickets = h.attach(TicketDao.class);
                    Ticket updated = changed ? tickets.updateStatus(ticketId, TicketCodes.code(status), assignedAgent)
                            : old;
                    addNote(tickets, ticketId, STATUS_UPDATE_NOTE, assignedAgent, notes, idempotencyKey);
                    return new Outcome(updated, changed);
                })));
    }

    @Override
    public Optional<TicketChange> escalate(String ticketId, String reason, String author, String idempotencyKey,
                                           Fence fence) {
        Objects.requireNonNull(ticketId, "ticketId");
        requireKey(idempotencyKey);
        Objects.requireNonNull(fence, "fence");
        return guarded("escalate a ticket", () -> jdbi.inTransaction(h -> changeTicket(h, fence, ticketId,
                idempotencyKey, TicketEventType.PRIORITY_CHANGED, old -> {
                    TicketPriority raised = TicketCodes.raised(old.priority());
                    boolean changed = raised != old.priority();
                    TicketDao tickets = h.attach(TicketDao.class);
                    Ticket updated = changed ? tickets.updatePriority(ticketId, TicketCodes.code(raised)) : old;
                    addNote(tickets, ticketId, ESCALATION_NOTE, author, reason, idempotencyKey);
                    return new Outcome(updated, changed);
                })));
    }

    @Override
    public Optional<FaqEntry> findFaqAnswer(String question) {
        Objects.requireNonNull(question, "question");
        String normalized = question.toLowerCase(Locale.ROOT);
        return guarded("look up the FAQ", () -> jdbi.withExtension(FaqDao.class, dao -> dao.bestMatch(normalized)));
    }

    @Override
    public List<FaqEntry> faqEntries() {
        return guarded("list the FAQ", () -> jdbi.withExtension(FaqDao.class, FaqDao::all));
    }

    /** What a change did to the locked ticket. */
    private record Outcome(Ticket ticket, boolean changed) {
    }

    private interface Change {
        Outcome apply(Ticket locked);
    }

    /**
     * Checks the fence, claims the key, locks the ticket, applies the change and records it; releases the key if there
     * is no ticket.
     */
    private Optional<TicketChange> changeTicket(Handle h, Fence fence, String ticketId, String key,
                                                TicketEventType type, Change change) {
        FenceCheck.verify(h, fence);
        IdempotencyDao keys = h.attach(IdempotencyDao.class);
        Optional<Instant> claimed = keys.claim(key);
        if (claimed.isEmpty()) {
            return Optional.of(replay(h, key, ticketId));
        }
        Optional<Ticket> locked = h.attach(TicketDao.class).lockById(ticketId);
        if (locked.isEmpty()) {
            keys.release(key);
            return Optional.empty();
        }
        Outcome outcome = change.apply(locked.get());
        String email = h.attach(CustomerDao.class).recordActivity(outcome.ticket().customerId())
                .orElseThrow(() -> new IllegalStateException("ticket " + ticketId + " has no customer"));
        complete(keys, key, outcome.ticket(), outcome.changed(), type);
        return Optional.of(new TicketChange(outcome.ticket(), email, outcome.changed(), false, claimed.get()));
    }

    @Override
    public List<RecordedTicketChange> changesRecordedUnder(String keyPrefix) {
        Objects.requireNonNull(keyPrefix, "keyPrefix");
        String pattern = keyPrefix.replace("!", "!!").replace("%", "!%").replace("_", "!_") + "%";
        return guarded("read recorded changes", () -> jdbi.withExtension(IdempotencyDao.class,
                dao -> dao.changedLike(pattern)));
    }

    private static void complete(IdempotencyDao keys, String key, Ticket ticket, boolean changed,
                                 TicketEventType type) {
        keys.complete(key, ticket.id(), changed, changed ? type.name().toLowerCase(Locale.ROOT) : null,
                TicketCodes.code(ticket.status()), TicketCodes.code(ticket.priority()));
    }

    /** The earlier outcome of a used key, with the ticket as it is now. */
    private static TicketChange replay(Handle h, String key, String expectedTicketId) {
        TicketChange earlier = h.attach(IdempotencyDao.class).replay(key)
                .orElseThrow(() -> new IllegalStateException("idempotency key " + key + " vanished"));
        String ticketId = earlier.ticket().id();
        if (expectedTicketId != null && !expectedTicketId.equals(ticketId)) {
            throw new IllegalArgumentException("idempotency key " + key + " was used for ticket " + ticketId
                    + ", not " + expectedTicketId);
        }
        return earlier;
    }

    /** A note with its author and the key of the write it belongs to, which names the message it was written for. */
    private static void addNote(TicketDao tickets, String ticketId, String kind, String author, String note,
                                String writtenFor) {
        if (note != null && !note.isBlank()) {
            tickets.addNote(ticketId, kind, author, writtenFor, note.strip());
        }
    }

    private static void requireKey(String idempotencyKey) {
        Objects.requireNonNull(idempotencyKey, "idempotencyKey");
        if (idempotencyKey.isBlank()) {
            throw new IllegalArgumentException("idempotencyKey must not be blank");
        }
    }

    private static <T> T guarded(String action, Supplier<T> work) {
        try {
            return work.get();
        } catch (JdbiException e) {
            throw new SupportRepositoryException("support database could not " + action + ": " + reason(e), e);
        }
    }

    /**
     * The innermost message, first line only: the outer ones repeat the SQL and the detail lines repeat row data; a
     * value the server quotes at its end (as in {@code invalid input syntax for type integer: "..."}) is left out.
     */
    private static String reason(Throwable e) {
        String message = e.getMessage();
        Throwable cause = e.getCause();
        for (int depth = 0; cause != null && depth < 10; depth++, cause = cause.getCause()) {
            if (cause.getMessage() != null) {
                message = cause.getMessage();
            }
        }
        if (message == null) {
            return e.getClass().getSimpleName();
        }
        String firstLine = message.lines().findFirst().orElse("").strip().replaceAll(": \".*$", ": \"...\"");
        return firstLine.length() > 200 ? firstLine.substring(0, 200) + "..." : firstLine;
    }
}
