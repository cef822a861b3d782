package io.helpstream.tools;

import dev.langchain4j.agent.tool.P;
import dev.langchain4j.agent.tool.Tool;
import dev.langchain4j.invocation.InvocationParameters;
import io.helpstream.tools.TurnContext;
import io.helpstream.schema.CustomerBinding;
import io.helpstream.schema.TicketEventType;
import io.helpstream.tickets.SupportRepository;
import io.helpstream.tickets.Ticket;
import io.helpstream.tickets.TicketChange;
import java.util.Objects;
import java.util.Optional;

/** Raises the priority of one of the conversation customer's tickets by one level. */
public final class EscalateTicketTool {

    static final String NAME = "escalateTicket";

    private final SupportRepository repository;

    public EscalateTicketTool(SupportRepository repository) {
        this.repository = Objects.requireNonNull(repository, "repository");
    }

    @Tool("Escalate one of the customer's existing tickets: raises its priority by one level "
            + "(low to medium, medium to high, high to urgent).")
    public String escalateTicket(@P("The ticket id, like TICK001") String ticketId,
                                 @P("Why the ticket needs escalating") String reason,
                                 InvocationParameters parameters) {
        TurnContext turn = TurnContext.from(parameters);
        Optional<CustomerBinding> customer = BoundCustomer.resolve(turn, repository);
        if (customer.isEmpty()) {
            return BoundCustomer.NOT_IDENTIFIED;
        }
        String id = TicketFormat.ticketId(ticketId);
        if (!OwnTickets.belongsTo(repository, id, customer.get())) {
            return OwnTickets.notFound(id);
        }
        String key = turn.nextIdempotencyKey(NAME);
        Optional<TicketChange> escalated = repository.escalate(id, reason == null ? "" : reason.strip(), key);
        if (escalated.isEmpty()) {
            return OwnTickets.notFound(id);
        }
        TicketChange change = escalated.get();
        Ticket ticket = change.ticket();
        if (!change.changed()) {
            return "Ticket " + id + " is already urgent, the highest priority; we'll get back to you within "
                    + TicketFormat.responseTime(ticket.priority()) + ".";
        }
        turn.outcome().ticketEvent(TicketEvents.of(TicketEventType.PRIORITY_CHANGED, change, key, turn));
        return "Ticket " + id + " (" + ticket.subject() + ") escalated to " + TicketFormat.name(ticket.priority())
                + " priority. We'll get back to you within " + TicketFormat.responseTime(ticket.priority()) + ".";
    }
}
