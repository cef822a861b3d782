package io.helpstream.tools;

import io.helpstream.fencing.Fence;
import io.helpstream.schema.CustomerBinding;
import io.helpstream.schema.TicketEventType;
import io.helpstream.tickets.Customer;
import io.helpstream.tickets.SupportRepository;
import io.helpstream.tickets.TicketChange;
import io.helpstream.tickets.TicketEvents;
import io.helpstream.tools.ToolResult.CustomerNotIdentified;
import io.helpstream.tools.ToolResult.LimitReached;
import io.helpstream.tools.ToolResult.TicketNotFound;
import io.helpstream.tools.ToolResult.VerificationRequired;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * What every ticket tool does around its write: it acts only for the conversation's bound customer, only on that
 * customer's own tickets, under an idempotency key of its own, and it reports the event of a write that changed
 * something. A tool asks for access and gets either a refusal to answer with or this access to act with.
 */
final class TicketAccess {

    static final String WRITES_PER_MESSAGE = "ticket writes per message";

    private final TurnContext turn;
    private final CustomerBinding customer;
    private final String idempotencyKey;

    private TicketAccess(TurnContext turn, CustomerBinding customer, String idempotencyKey) {
        this.turn = turn;
        this.customer = customer;
        this.idempotencyKey = idempotencyKey;
    }

    /**
     * Runs the write for the bound customer; without one, answers that the customer must be identified first, and
     * for a claimed one that the email must be verified first (a claimed identity opens no ticket either: see
     * SECURITY.md).
     */
    static ToolResult forCustomer(TurnContext turn, SupportRepository repository, String toolName,
                                  Function<TicketAccess, ToolResult> write) {
        Optional<ToolResult> refused = unverified(turn);
        if (refused.isPresent()) {
            return refused.get();
        }
        return resolve(turn, repository)
                .map(customer -> claimed(turn, () -> write.apply(new TicketAccess(turn, customer,
                        turn.nextIdempotencyKey(toolName)))))
                .orElseGet(CustomerNotIdentified::new);
    }

    /**
     * Runs the write on one of the bound customer's tickets. A missing ticket and another customer's get the same
     * answer, so ticket ids cannot be probed. A refused call takes no idempotency key.
     */
    static ToolResult forTicket(TurnContext turn, SupportRepository repository, String toolName, String ticketId,
                                Function<TicketAccess, ToolResult> write) {
        Optional<ToolResult> refused = unverified(turn);
        if (refused.isPresent()) {
            return refused.get();
        }
        Optional<CustomerBinding> customer = resolve(turn, repository);
        if (customer.isEmpty()) {
            return new CustomerNotIdentified();
        }
        boolean own = !ticketId.isEmpty() && repository.findTicket(ticketId)
                .filter(ticket -> ticket.customerId().equals(customer.get().getCustomerId())).isPresent();
        return own ? claimed(turn, () -> write.apply(new TicketAccess(turn, customer.get(),
                turn.nextIdempotencyKey(toolName)))) : new TicketNotFound(ticketId);
    }

    /** Why the conversation's customer may not touch tickets: nobody identified, or only claimed; empty if verified. */
    private static Optional<ToolResult> unverified(TurnContext turn) {
        if (turn.verified()) {
            return Optional.empty();
        }
        return Optional.of(turn.customer().<ToolResult>map(claim -> new VerificationRequired(claim.getEmail()))
                .orElseGet(CustomerNotIdentified::new));
    }

    /**
     * The write, when the turn has one left and still holds its fence (a turn its task abandoned stops here); a
     * refused write takes no idempotency key.
     */
    private static ToolResult claimed(TurnContext turn, Supplier<ToolResult> write) {
        turn.fence().check();
        return turn.claimWrite() ? write.get()
                : new LimitReached(WRITES_PER_MESSAGE, turn.limits().maxWritesPerTurn());
    }

    /** The fence the write is made under, for the repository to check inside the write's transaction. */
    Fence fence() {
        return turn.fence();
    }

    CustomerBinding customer() {
        return customer;
    }

    String idempotencyKey() {
        return idempotencyKey;
    }

    /** Adds the write's ticket event to the turn's outcome when it changed the ticket. */
    void report(TicketEventType type, TicketChange change) {
        if (change.changed()) {
            turn.outcome().ticketEvent(TicketEvents.of(type, change, idempotencyKey, turn.conversationId(),
                    turn.messageId()));
        }
    }

    /**
     * The bound customer, with the id the database gives for the bound email, looked up for every write: never the
     * id a cache or an earlier turn put into the binding, which someone who can write to Redis could have chosen.
     */
    private static Optional<CustomerBinding> resolve(TurnContext turn, SupportRepository repository) {
        Optional<CustomerBinding> bound = turn.customer();
        if (bound.isEmpty()) {
            return bound;
        }
        CustomerBinding binding = bound.get();
        return repository.findCustomer(binding.getEmail()).map(customer -> {
            CustomerBinding completed = new CustomerBinding(binding.getEmail(), customer.id(), customer.name(),
                    binding.getVerified());
            if (!completed.equals(binding)) {
                turn.bindCustomer(completed);
            }
            return completed;
        });
    }
}
