package io.helpstream.tools;

import dev.langchain4j.agent.tool.P;
import dev.langchain4j.agent.tool.Tool;
import dev.langchain4j.invocation.InvocationParameters;
import io.helpstream.schema.TicketEventType;
import io.helpstream.tickets.SupportRepository;
import io.helpstream.tickets.Ticket;
import io.helpstream.tools.ToolResult.TicketAlreadyUrgent;
import io.helpstream.tools.ToolResult.TicketEscalated;
import io.helpstream.tools.ToolResult.TicketNotFound;
import java.util.Objects;

/** Raises the priority of one of the conversation customer's tickets by one level. */
public final class EscalateTicketTool {

    private final SupportRepository repository;
    private final String author;

    /** @param author the agent name its escalation notes are signed with */
    public EscalateTicketTool(SupportRepository repository, String author) {
        this.repository = Objects.requireNonNull(repository, "repository");
        this.author = Objects.requireNonNull(author, "author");
    }

    @Tool(name = ToolNames.ESCALATE_TICKET, value = "Escalate one of the customer's existing tickets: raises its "
            + "priority by one level (low to medium, medium to high, high to urgent).")
    public String escalateTicket(@P("The ticket id, like TICK001") String ticketId,
                                 @P("Why the ticket needs escalating") String reason,
                                 InvocationParameters parameters) {
        return ToolResults.render(escalate(TicketFormat.ticketId(ticketId), reason == null ? "" : reason.strip(),
                TurnContext.from(parameters)));
    }

    private ToolResult escalate(String id, String reason, TurnContext turn) {
        return TicketAccess.forTicket(turn, repository, ToolNames.ESCALATE_TICKET, id, access ->
                repository.escalate(id, reason, author, access.idempotencyKey(), access.fence())
                        .<ToolResult>map(change -> {
                            access.report(TicketEventType.PRIORITY_CHANGED, change);
                            Ticket ticket = change.ticket();
                            String responseTime = TicketFormat.responseTime(ticket.priority());
                            return change.changed()
                                    ? new TicketEscalated(id, ticket.subject(), ticket.priority(), responseTime)
                                    : new TicketAlreadyUrgent(id, responseTime);
                        })
                        .orElseGet(() -> new TicketNotFound(id)));
    }
}
