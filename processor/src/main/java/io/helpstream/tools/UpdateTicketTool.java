package io.helpstream.tools;

import dev.langchain4j.agent.tool.P;
import dev.langchain4j.agent.tool.Tool;
import dev.langchain4j.invocation.InvocationParameters;
import io.helpstream.tools.TurnContext;
import io.helpstream.schema.CustomerBinding;
import io.helpstream.schema.TicketEventType;
import io.helpstream.schema.TicketStatus;
import io.helpstream.tickets.SupportRepository;
import io.helpstream.tickets.TicketChange;
import java.util.Objects;
import java.util.Optional;

/** Changes the status of one of the conversation customer's tickets. */
public final class UpdateTicketTool {

    static final String NAME = "updateTicketStatus";

    private final SupportRepository repository;
    private final String assignedAgent;

    /** @param assignedAgent the agent name recorded on tickets this tool updates (the seed uses "AI_Agent_001") */
    public UpdateTicketTool(SupportRepository repository, String assignedAgent) {
        this.repository = Objects.requireNonNull(repository, "repository");
        if (assignedAgent == null || assignedAgent.isBlank()) {
            throw new IllegalArgumentException("assignedAgent must not be blank");
        }
        this.assignedAgent = assignedAgent;
    }

    @Tool("Update the status of one of the customer's existing support tickets, e.g. to close or resolve it.")
    public String updateTicketStatus(@P("The ticket id, like TICK001") String ticketId,
                                     @P("The new status: open, in_progress, resolved or closed") String status,
                                     @P(value = "Optional notes about the update", defaultValue = "") String notes,
                                     InvocationParameters parameters) {
        TurnContext turn = TurnContext.from(parameters);
        Optional<TicketStatus> newStatus = TicketFormat.status(status);
        if (newStatus.isEmpty()) {
            return "Invalid status '" + status + "'. Valid options: "
                    + TicketFormat.validValues(TicketStatus.class) + ". The ticket was not changed.";
        }
        Optional<CustomerBinding> customer = BoundCustomer.resolve(turn, repository);
        if (customer.isEmpty()) {
            return BoundCustomer.NOT_IDENTIFIED;
        }
        String id = TicketFormat.ticketId(ticketId);
        if (!OwnTickets.belongsTo(repository, id, customer.get())) {
            return OwnTickets.notFound(id);
        }
        String key = turn.nextIdempotencyKey(NAME);
        Optional<TicketChange> updated = repository.updateStatus(id, newStatus.get(), assignedAgent,
                notes == null ? "" : notes.strip(), key);
        if (updated.isEmpty()) {
            return OwnTickets.notFound(id);
        }
        TicketChange change = updated.get();
        if (!change.changed()) {
            return "Ticket " + id + " is already " + TicketFormat.name(change.ticket().status()) + ".";
        }
        turn.outcome().ticketEvent(TicketEvents.of(TicketEventType.STATUS_CHANGED, change, key, turn));
        String result = "Ticket " + id + " updated to '" + TicketFormat.name(change.ticket().status()) + "'.";
        return notes == null || notes.isBlank() ? result : result + "\nNotes: " + notes.strip();
    }
}
