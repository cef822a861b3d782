package io.helpstream.tools;

import io.helpstream.schema.CustomerBinding;
import io.helpstream.tickets.SupportRepository;

/** Keeps ticket tools to the conversation customer's own tickets. */
final class OwnTickets {

    private OwnTickets() {
    }

    static boolean belongsTo(SupportRepository repository, String ticketId, CustomerBinding customer) {
        return !ticketId.isEmpty() && repository.findTicket(ticketId)
                .filter(ticket -> ticket.customerId().equals(customer.getCustomerId()))
                .isPresent();
    }

    /** The same answer for a missing ticket and another customer's, so ticket ids cannot be probed. */
    static String notFound(String ticketId) {
        return "I couldn't find ticket " + (ticketId.isEmpty() ? "(no id given)" : ticketId)
                + " among this customer's tickets.";
    }
}
