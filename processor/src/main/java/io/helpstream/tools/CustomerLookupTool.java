package io.helpstream.tools;

import dev.langchain4j.agent.tool.P;
import dev.langchain4j.agent.tool.Tool;
import dev.langchain4j.invocation.InvocationParameters;
import io.helpstream.tools.TurnContext;
import io.helpstream.schema.CustomerBinding;
import io.helpstream.tickets.Customer;
import io.helpstream.tickets.CustomerProfile;
import io.helpstream.tickets.SupportRepository;
import io.helpstream.tickets.Ticket;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * Looks up a customer's profile and recent tickets. A conversation only ever sees its own customer: once bound (by
 * the gateway or an earlier look-up), other emails are refused; an anonymous conversation is bound by its first
 * successful look-up.
 */
public final class CustomerLookupTool {

    private final SupportRepository repository;

    public CustomerLookupTool(SupportRepository repository) {
        this.repository = Objects.requireNonNull(repository, "repository");
    }

    @Tool("Look up a customer by email address: their profile (name, tier, contact details) and their most recent "
            + "support tickets. Use it before helping with an account, order or ticket.")
    public String lookupCustomer(@P("The customer's email address") String email, InvocationParameters parameters) {
        TurnContext turn = TurnContext.from(parameters);
        if (email == null || email.isBlank()) {
            return "Please provide the customer's email address.";
        }
        String requested = email.strip();
        Optional<CustomerBinding> bound = turn.customer();
        if (bound.isPresent() && !sameEmail(bound.get().getEmail(), requested)) {
            return "I can only look up the account of the customer in this conversation (" + bound.get().getEmail()
                    + "), not " + requested + ".";
        }
        Optional<CustomerProfile> found = repository.findCustomerProfile(requested);
        if (found.isEmpty()) {
            return "No customer found with email " + requested + ".";
        }
        CustomerProfile profile = found.get();
        Customer customer = profile.customer();
        if (bound.isEmpty() || bound.get().getCustomerId() == null) {
            boolean verified = bound.map(CustomerBinding::getVerified).orElse(false);
            turn.bindCustomer(new CustomerBinding(customer.email(), customer.id(), customer.name(), verified));
        }
        return describe(profile);
    }

    private static String describe(CustomerProfile profile) {
        Customer customer = profile.customer();
        StringBuilder text = new StringBuilder()
                .append("Customer: ").append(customer.name()).append('\n')
                .append("Customer id: ").append(customer.id()).append('\n')
                .append("Email: ").append(customer.email()).append('\n')
                .append("Phone: ").append(customer.phone() == null ? "not provided" : customer.phone()).append('\n')
                .append("Tier: ").append(customer.tier()).append('\n')
                .append("Member since: ").append(TicketFormat.date(customer.createdAt())).append('\n')
                .append("Last activity: ").append(customer.lastActivityAt() == null
                        ? "never" : TicketFormat.date(customer.lastActivityAt())).append('\n');
        if (profile.recentTickets().isEmpty()) {
            return text.append("Recent tickets: none").toString();
        }
        text.append("Recent tickets (").append(profile.recentTickets().size()).append("):");
        for (Ticket ticket : profile.recentTickets()) {
            text.append('\n').append(TicketFormat.line(ticket));
        }
        return text.toString();
    }

    private static boolean sameEmail(String a, String b) {
        return a.strip().toLowerCase(Locale.ROOT).equals(b.strip().toLowerCase(Locale.ROOT));
    }
}
