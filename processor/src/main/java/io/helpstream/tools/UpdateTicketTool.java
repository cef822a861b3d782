package io.helpstream.tools;

import dev.langchain4j.agent.tool.P;
import dev.langchain4j.agent.tool.Tool;
import dev.langchain4j.invocation.InvocationParameters;
import io.helpstream.schema.TicketEventType;
import io.helpstream.schema.TicketStatus;
import io.helpstream.tickets.SupportRepository;
import io.helpstream.tools.ToolResult.InvalidArgument;
import io.helpstream.tools.ToolResult.TicketNotFound;
import io.helpstream.tools.ToolResult.TicketStatusChanged;
import io.helpstream.tools.ToolResult.TicketStatusUnchanged;
import java.util.Objects;
import java.util.Optional;

/** Changes the status of one of the conversation customer's tickets. */
public final class UpdateTicketTool {

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

    @Tool(name = ToolNames.UPDATE_TICKET_STATUS, value = "Update the status of one of the customer's existing "
            + "support tickets, e.g. to close or resolve it.")
    public String updateTicketStatus(@P("The ticket id, like TICK001") String ticketId,
                                     @P("The new status: open, in_progress, resolved or closed") String status,
                                     @P(value = "Optional notes about the update", defaultValue = "") String notes,
                                     InvocationParameters parameters) {
        return ToolResults.render(update(TicketFormat.ticketId(ticketId), status,
                notes == null ? "" : notes.strip(), TurnContext.from(parameters)));
    }

    private ToolResult update(String id, String status, String notes, TurnContext turn) {
        Optional<TicketStatus> newStatus = TicketFormat.status(status);
        if (newStatus.isEmpty()) {
            return new InvalidArgument("status", status, TicketFormat.validValues(TicketStatus.class));
        }
        return TicketAccess.forTicket(turn, repository, ToolNames.UPDATE_TICKET_STATUS, id, access ->
                repository.updateStatus(id, newStatus.get(), assignedAgent, notes, access.idempotencyKey(),
                        access.fence())
                        .<ToolResult>map(change -> {
                            access.report(TicketEventType.STATUS_CHANGED, change);
                            return change.changed() ? new TicketStatusChanged(id, change.ticket().status(), notes)
                                    : new TicketStatusUnchanged(id, change.ticket().status());
                        })
                        .orElseGet(() -> new TicketNotFound(id)));
    }
}
