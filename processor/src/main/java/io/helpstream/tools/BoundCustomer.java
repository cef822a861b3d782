package io.helpstream.tools;

import io.helpstream.tools.TurnContext;
import io.helpstream.schema.CustomerBinding;
import io.helpstream.tickets.Customer;
import io.helpstream.tickets.SupportRepository;
import java.util.Optional;

/** The customer a ticket tool may act for: the conversation's bound customer, with their database id. */
final class BoundCustomer {

    static final String NOT_IDENTIFIED = "No customer is identified in this conversation yet. Ask the customer for "
            + "their email address and look them up with lookupCustomer first.";

    private BoundCustomer() {
    }

    /**
     * The bound customer with a customer id. A gateway-verified binding may carry only the email; its id is looked up
     * once and kept in the binding.
     */
    static Optional<CustomerBinding> resolve(TurnContext turn, SupportRepository repository) {
        Optional<CustomerBinding> bound = turn.customer();
        if (bound.isEmpty() || bound.get().getCustomerId() != null) {
            return bound;
        }
        CustomerBinding binding = bound.get();
        return repository.findCustomerProfile(binding.getEmail()).map(profile -> {
            Customer customer = profile.customer();
            CustomerBinding completed = new CustomerBinding(binding.getEmail(), customer.id(), customer.name(),
                    binding.getVerified());
            turn.bindCustomer(completed);
            return completed;
        });
    }
}
