package io.helpstream.tools;

import dev.langchain4j.agent.tool.P;
import dev.langchain4j.agent.tool.Tool;
import dev.langchain4j.invocation.InvocationParameters;
import io.helpstream.schema.TicketEventType;
import io.helpstream.schema.TicketPriority;
import io.helpstream.tickets.NewTicket;
import io.helpstream.tickets.SupportRepository;
import io.helpstream.tickets.Ticket;
import io.helpstream.tickets.TicketChange;
import io.helpstream.tools.ToolResult.InvalidArgument;
import io.helpstream.tools.ToolResult.TicketCreated;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** Opens a support ticket for the conversation's customer. */
public final class CreateTicketTool {

    private final SupportRepository repository;

    public CreateTicketTool(SupportRepository repository) {
        this.repository = Objects.requireNonNull(repository, "repository");
    }

    @Tool(name = ToolNames.CREATE_TICKET, value = "Create a support ticket for the customer of this conversation, "
            + "for an issue that needs follow-up. The customer must have been identified (looked up by email) first.")
    public String createTicket(@P("A short summary of the issue, like an email subject") String subject,
                               @P("A detailed description of the issue in the customer's words") String description,
                               @P(value = "How urgent the issue is: low, medium, high or urgent",
                                       defaultValue = "medium") String priority,
                               InvocationParameters parameters) {
        return ToolResults.render(create(subject, description, priority, TurnContext.from(parameters)));
    }

    private ToolResult create(String subject, String description, String priority, TurnContext turn) {
        if (subject == null || subject.isBlank()) {
            return new InvalidArgument("subject", subject, List.of());
        }
        Optional<TicketPriority> level = TicketFormat.priority(priority);
        if (level.isEmpty()) {
            return new InvalidArgument("priority", priority, TicketFormat.validValues(TicketPriority.class));
        }
        String details = description == null || description.isBlank() ? subject : description.strip();
        return TicketAccess.forCustomer(turn, repository, ToolNames.CREATE_TICKET, access -> {
            TicketChange change = repository.createTicket(new NewTicket(access.customer().getCustomerId(),
                    subject.strip(), details, level.get()), access.idempotencyKey(), access.fence());
            access.report(TicketEventType.CREATED, change);
            Ticket ticket = change.ticket();
            return new TicketCreated(ticket.id(), access.customer().getName(), ticket.subject(), ticket.priority(),
                    TicketFormat.responseTime(ticket.priority()));
        });
    }
}
