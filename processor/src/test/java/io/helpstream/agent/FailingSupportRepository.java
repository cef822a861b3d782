package io.helpstream.agent;

import io.helpstream.fencing.Fence;
import io.helpstream.schema.TicketStatus;
import io.helpstream.tickets.CustomerProfile;
import io.helpstream.tickets.FaqEntry;
import io.helpstream.tickets.NewTicket;
import io.helpstream.tickets.SupportRepository;
import io.helpstream.tickets.SupportRepositoryException;
import io.helpstream.tickets.Ticket;
import io.helpstream.tickets.TicketChange;
import java.util.List;
import java.util.Optional;

/** A support database that is down: every call fails the way the real adapter reports it. */
public final class FailingSupportRepository implements SupportRepository {

    private static SupportRepositoryException down() {
        return new SupportRepositoryException("connection refused: 127.0.0.1:5432",
                new java.net.ConnectException("Connection refused"));
    }

    @Override
    public Optional<CustomerProfile> findCustomerProfile(String email) {
        throw down();
    }

    @Override
    public Optional<io.helpstream.tickets.Customer> findCustomer(String email) {
        throw down();
    }

    @Override
    public Optional<Ticket> findTicket(String ticketId) {
        throw down();
    }

    @Override
    public List<String> openTickets(String customerId) {
        throw down();
    }

    @Override
    public TicketChange createTicket(NewTicket ticket, String idempotencyKey, Fence fence) {
        throw down();
    }

    @Override
    public Optional<TicketChange> updateStatus(String ticketId, TicketStatus status, String assignedAgent,
                                               String notes, String idempotencyKey, Fence fence) {
        throw down();
    }

    @Override
    public Optional<TicketChange> escalate(String ticketId, String reason, String author, String idempotencyKey,
                                           Fence fence) {
        throw down();
    }

    @Override
    public Optional<FaqEntry> findFaqAnswer(String question) {
        throw down();
    }

    @Override
    public List<FaqEntry> faqEntries() {
        throw down();
    }

    @Override
    public List<io.helpstream.tickets.RecordedTicketChange> changesRecordedUnder(String keyPrefix) {
        throw down();
    }
}
