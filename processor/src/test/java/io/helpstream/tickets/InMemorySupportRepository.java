package io.helpstream.tickets;

import io.helpstream.fencing.Fence;
import io.helpstream.schema.TicketEventType;
import io.helpstream.schema.TicketPriority;
import io.helpstream.schema.TicketStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A {@link SupportRepository} held in memory, for unit tests that need the port's behaviour (idempotency, profiles,
 * FAQ matching) without a database. It counts reads so tests can tell a cache hit from a database read. Of a
 * write's fence it checks only the revocation in this process (the epoch is PostgreSQL's to check).
 */
public final class InMemorySupportRepository implements SupportRepository {

    private final Map<String, Customer> customersByEmail = new LinkedHashMap<>();
    private final Map<String, Ticket> tickets = new LinkedHashMap<>();
    private final Map<String, TicketChange> idempotency = new HashMap<>();
    private final List<RecordedTicketChange> recorded = new ArrayList<>();
    private final Map<String, String> faq = new LinkedHashMap<>();
    private final AtomicInteger sequence = new AtomicInteger(1000);
    private final AtomicInteger reads = new AtomicInteger();

    /** The seed's three customers, three tickets and five FAQ entries. */
    public static InMemorySupportRepository withSampleData() {
        InMemorySupportRepository repo = new InMemorySupportRepository();
        Instant since = Instant.parse("2024-01-15T10:00:00Z");
        repo.addCustomer(new Customer("CUST001", "John Doe", "john@example.com", "+1234567890", "premium", since, null));
        repo.addCustomer(new Customer("CUST002", "Jane Smith", "jane@example.com", "+1234567891", "basic", since, null));
        repo.addCustomer(new Customer("CUST003", "Bob Johnson", "bob@example.com", null, "enterprise", since, null));
        repo.addTicket(new Ticket("TICK001", "CUST001", "Laptop not charging", "My laptop battery won't charge",
                TicketStatus.OPEN, TicketPriority.HIGH, since, since, null));
        repo.addTicket(new Ticket("TICK002", "CUST002", "Refund request", "Want to return my purchase",
                TicketStatus.IN_PROGRESS, TicketPriority.MEDIUM, since, since, null));
        repo.addTicket(new Ticket("TICK003", "CUST003", "Account access", "Cannot log into my account",
                TicketStatus.RESOLVED, TicketPriority.LOW, since, since, null));
        repo.faq.put("return policy", "You can return items within 30 days of purchase for a full refund.");
        repo.faq.put("shipping time", "Standard shipping takes 3-5 business days. Express shipping takes 1-2 days.");
        repo.faq.put("warranty", "All products come with a 1-year manufacturer warranty.");
        repo.faq.put("payment methods", "We accept credit cards, PayPal, and Apple Pay.");
        repo.faq.put("contact hours", "Customer service is available Monday-Friday 9AM-6PM EST.");
        return repo;
    }

    public synchronized void addCustomer(Customer customer) {
        customersByEmail.put(customer.email().toLowerCase(Locale.ROOT), customer);
    }

    public synchronized void addTicket(Ticket ticket) {
        tickets.put(ticket.id(), ticket);
    }

    /** Number of read calls answered so far. */
    public int reads() {
        return reads.get();
    }

    public synchronized List<Ticket> tickets() {
        return List.copyOf(tickets.values());
    }

    @Override
    public synchronized Optional<Customer> findCustomer(String email) {
        reads.incrementAndGet();
        return Optional.ofNullable(customersByEmail.get(email.strip().toLowerCase(Locale.ROOT)));
    }

    @Override
    public synchronized Optional<CustomerProfile> findCustomerProfile(String email) {
        reads.incrementAndGet();
        Customer customer = customersByEmail.get(email.toLowerCase(Locale.ROOT));
        if (customer == null) {
            return Optional.empty();
        }
        List<TicketSummary> recent = tickets.values().stream()
                .filter(t -> t.customerId().equals(customer.id()))
                .sorted(Comparator.comparing(Ticket::createdAt).reversed().thenComparing(Ticket::id,
                        Comparator.reverseOrder()))
                .limit(PROFILE_TICKETS)
                .map(TicketSummary::of)
                .toList();
        return Optional.of(new CustomerProfile(customer, recent));
    }

    @Override
    public synchronized Optional<Ticket> findTicket(String ticketId) {
        reads.incrementAndGet();
        return Optional.ofNullable(tickets.get(ticketId));
    }

    @Override
    public synchronized List<String> openTickets(String customerId) {
        reads.incrementAndGet();
        return tickets.values().stream()
                .filter(t -> t.customerId().equals(customerId))
                .filter(t -> t.status() == TicketStatus.OPEN || t.status() == TicketStatus.IN_PROGRESS)
                .sorted(Comparator.comparing(Ticket::createdAt).reversed().thenComparing(Ticket::id,
                        Comparator.reverseOrder()))
                .limit(OPEN_TICKETS)
                .map(Ticket::id)
                .toList();
    }

    @Override
    public synchronized TicketChange createTicket(NewTicket request, String idempotencyKey, Fence fence) {
        fence.check();
        return idempotent(idempotencyKey, TicketEventType.CREATED, () -> {
            Instant now = Instant.now();
            Ticket ticket = new Ticket("TICK-" + sequence.incrementAndGet(), request.customerId(), request.subject(),
                    request.description(), TicketStatus.OPEN, request.priority(), now, now, null);
            tickets.put(ticket.id(), ticket);
            return new TicketChange(ticket, emailOf(ticket), true, false, now);
        });
    }

    @Override
    public synchronized Optional<TicketChange> updateStatus(String ticketId, TicketStatus status,
                                                            String assignedAgent, String notes,
                                                            String idempotencyKey, Fence fence) {
        fence.check();
        if (!tickets.containsKey(ticketId)) {
            return Optional.empty();
        }
        return Optional.of(idempotent(idempotencyKey, TicketEventType.STATUS_CHANGED, () -> {
            Ticket old = existing(ticketId);
            Instant now = Instant.now();
            Ticket updated = new Ticket(old.id(), old.customerId(), old.subject(), old.description(), status,
                    old.priority(), old.createdAt(), now, assignedAgent);
            tickets.put(ticketId, updated);
            return new TicketChange(updated, emailOf(updated), old.status() != status, false, now);
        }));
    }

    @Override
    public synchronized Optional<TicketChange> escalate(String ticketId, String reason, String author,
                                                        String idempotencyKey, Fence fence) {
        fence.check();
        if (!tickets.containsKey(ticketId)) {
            return Optional.empty();
        }
        return Optional.of(idempotent(idempotencyKey, TicketEventType.PRIORITY_CHANGED, () -> {
            Ticket old = existing(ticketId);
            TicketPriority[] levels = TicketPriority.values();
            TicketPriority raised = levels[Math.min(old.priority().ordinal() + 1, levels.length - 1)];
            Instant now = Instant.now();
            Ticket updated = new Ticket(old.id(), old.customerId(), old.subject(), old.description(), old.status(),
                    raised, old.createdAt(), now, old.assignedAgent());
            tickets.put(ticketId, updated);
            return new TicketChange(updated, emailOf(updated), raised != old.priority(), false, now);
        }));
    }

    @Override
    public synchronized Optional<FaqEntry> findFaqAnswer(String question) {
        reads.incrementAndGet();
        String normalized = question.toLowerCase(Locale.ROOT);
        return faq.entrySet().stream()
                .filter(e -> normalized.contains(e.getKey()))
                .map(e -> new FaqEntry(e.getKey(), e.getValue()))
                .findFirst();
    }

    @Override
    public synchronized List<FaqEntry> faqEntries() {
        reads.incrementAndGet();
        List<FaqEntry> entries = new ArrayList<>();
        faq.forEach((topic, answer) -> entries.add(new FaqEntry(topic, answer)));
        return entries;
    }

    @Override
    public synchronized List<RecordedTicketChange> changesRecordedUnder(String keyPrefix) {
        return recorded.stream().filter(change -> change.idempotencyKey().startsWith(keyPrefix)).toList();
    }

    private TicketChange idempotent(String key, TicketEventType type,
                                    java.util.function.Supplier<TicketChange> write) {
        TicketChange earlier = idempotency.get(key);
        if (earlier != null) {
            Ticket current = tickets.get(earlier.ticket().id());
            return new TicketChange(current, earlier.customerEmail(), earlier.changed(), true, earlier.at());
        }
        TicketChange change = write.get();
        idempotency.put(key, change);
        if (change.changed()) {
            Ticket ticket = change.ticket();
            recorded.add(new RecordedTicketChange(key, type, ticket.id(), ticket.customerId(), ticket.subject(),
                    ticket.status(), ticket.priority(), change.at()));
        }
        return change;
    }

    private Ticket existing(String ticketId) {
        Ticket ticket = tickets.get(ticketId);
        if (ticket == null) {
            throw new IllegalArgumentException("no ticket " + ticketId);
        }
        return ticket;
    }

    private String emailOf(Ticket ticket) {
        return customersByEmail.values().stream()
                .filter(c -> c.id().equals(ticket.customerId()))
                .map(Customer::email)
                .findFirst()
                .orElseThrow();
    }
}
