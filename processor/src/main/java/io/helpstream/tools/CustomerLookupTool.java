package io.helpstream.tools;

import dev.langchain4j.agent.tool.P;
import dev.langchain4j.agent.tool.Tool;
import dev.langchain4j.invocation.InvocationParameters;
import io.helpstream.schema.CustomerBinding;
import io.helpstream.tickets.Customer;
import io.helpstream.tickets.CustomerProfile;
import io.helpstream.tickets.SupportRepository;
import io.helpstream.tools.ToolResult.CustomerFound;
import io.helpstream.tools.ToolResult.CustomerNotFound;
import io.helpstream.tools.ToolResult.InvalidArgument;
import io.helpstream.tools.ToolResult.OtherCustomerRefused;
import io.helpstream.tools.ToolResult.TicketSummary;
import io.helpstream.tools.ToolResult.VerificationRequired;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * Looks up a customer's profile and recent tickets. A conversation only ever sees its own, verified customer: once
 * bound to a verified email (by the gateway or a one-time code), other emails are refused. An email asked for in an
 * anonymous or only claimed conversation becomes its claim, and the answer is that it must be verified first: the
 * same answer, without a database query, whether or not a customer has that email.
 */
public final class CustomerLookupTool {

    private final SupportRepository repository;

    public CustomerLookupTool(SupportRepository repository) {
        this.repository = Objects.requireNonNull(repository, "repository");
    }

    @Tool(name = ToolNames.LOOKUP_CUSTOMER, value = "Look up a customer by email address: their profile (name, tier, "
            + "contact details) and their most recent support tickets. Use it before helping with an account, order "
            + "or ticket.")
    public String lookupCustomer(@P("The customer's email address") String email, InvocationParameters parameters) {
        return ToolResults.render(lookup(email, TurnContext.from(parameters)));
    }

    private ToolResult lookup(String email, TurnContext turn) {
        if (email == null || email.isBlank()) {
            return new InvalidArgument("email", email, List.of());
        }
        String requested = email.strip();
        Optional<CustomerBinding> bound = turn.customer();
        if (!turn.verified()) {
            if (!ConversationTools.EMAIL.matcher(requested).matches()) {
                return new InvalidArgument("email", email, List.of());
            }
            if (bound.isEmpty() || !sameEmail(bound.get().getEmail(), requested)) {
                turn.bindCustomer(new CustomerBinding(requested.toLowerCase(Locale.ROOT), null, null, false));
            }
            return new VerificationRequired(requested);
        }
        if (!sameEmail(bound.get().getEmail(), requested)) {
            return new OtherCustomerRefused(bound.get().getEmail(), requested);
        }
        Optional<CustomerProfile> found = repository.findCustomerProfile(requested);
        if (found.isEmpty()) {
            return new CustomerNotFound(requested);
        }
        Customer customer = found.get().customer();
        if (bound.get().getCustomerId() == null) {
            turn.bindCustomer(new CustomerBinding(bound.get().getEmail(), customer.id(), customer.name(), true));
        }
        return new CustomerFound(customer.id(), customer.name(), customer.email(), customer.phone(), customer.tier(),
                customer.createdAt(), customer.lastActivityAt(), found.get().recentTickets().stream()
                .map(t -> new TicketSummary(t.id(), t.subject(), t.status(), t.priority(), t.createdAt()))
                .toList());
    }

    private static boolean sameEmail(String a, String b) {
        return a.strip().toLowerCase(Locale.ROOT).equals(b.strip().toLowerCase(Locale.ROOT));
    }
}
