package io.helpstream.tools;

import dev.langchain4j.agent.tool.P;
import dev.langchain4j.agent.tool.Tool;
import dev.langchain4j.invocation.InvocationParameters;
import io.helpstream.tools.TurnContext;
import io.helpstream.schema.CustomerBinding;
import io.helpstream.schema.TicketEventType;
import io.helpstream.schema.TicketPriority;
import io.helpstream.tickets.NewTicket;
import io.helpstream.tickets.SupportRepository;
import io.helpstream.tickets.Ticket;
import io.helpstream.tickets.TicketChange;
import java.util.Objects;
import java.util.Optional;

/** Opens a support ticket for the conversation's customer. */
public final class CreateTicketTool {

    static final String NAME = "createTicket";

    private final SupportRepository repository;

    public CreateTicketTool(SupportRepository repository) {
        this.repository = Objects.requireNonNull(repository, "repository");
    }

    @Tool("Create a support ticket for the customer of this conversation, for an issue that needs follow-up. "
            + "The customer must have been identified (looked up by email) first.")
    public String createTicket(@P("A short summary of the issue, like an email subject") String subject,
                               @P("A detailed description of the issue in the customer's words") String description,
                               @P(value = "How urgent the issue is: low, medium, high or urgent",
                                       defaultValue = "medium") String priority,
                               InvocationParameters parameters) {
        TurnContext turn = TurnContext.from(parameters);
        if (subject == null || subject.isBlank()) {
            return "Please give the ticket a subject.";
        }
        Optional<TicketPriority> level = TicketFormat.priority(priority);
        if (level.isEmpty()) {
            return "Invalid priority '" + priority + "'. Valid options: "
                    + TicketFormat.validValues(TicketPriority.class) + ". No ticket was created.";
        }
        Optional<CustomerBinding> customer = BoundCustomer.resolve(turn, repository);
        if (customer.isEmpty()) {
            return BoundCustomer.NOT_IDENTIFIED;
        }
        String key = turn.nextIdempotencyKey(NAME);
        String details = description == null || description.isBlank() ? subject : description.strip();
        TicketChange change = repository.createTicket(
                new NewTicket(customer.get().getCustomerId(), subject.strip(), details, level.get()), key);
        if (change.changed()) {
            turn.outcome().ticketEvent(TicketEvents.of(TicketEventType.CREATED, change, key, turn));
        }
        Ticket ticket = change.ticket();
        return "Support ticket " + ticket.id() + " created"
                + (customer.get().getName() == null ? "" : " for " + customer.get().getName()) + ".\n"
                + "Subject: " + ticket.subject() + "\n"
                + "Priority: " + TicketFormat.name(ticket.priority()) + "\n"
                + "We'll get back to you within " + TicketFormat.responseTime(ticket.priority()) + ".";
    }
}
