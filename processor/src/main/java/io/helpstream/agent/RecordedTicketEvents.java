package io.helpstream.agent;

import io.helpstream.schema.TicketEvent;
import io.helpstream.tickets.SupportRepository;
import io.helpstream.tickets.TicketEvents;
import io.helpstream.tools.TurnContext;
import io.helpstream.turn.Agent;
import io.helpstream.turn.TurnOutcome;
import io.helpstream.turn.TurnRequest;
import java.util.List;
import java.util.Objects;

/**
 * Makes sure a turn publishes the ticket events of every ticket change its message caused, not only those of the
 * attempt that finally answered. An attempt may fail after its tools wrote (model error, crash), and the attempt that
 * answers — a retry, a turn resumed after a restore, the fallback model — need not make the same calls. For such
 * turns the events are rebuilt from the changes the database recorded under the message's idempotency keys; a first,
 * undisturbed attempt keeps the events its own tools reported and costs no extra query, so an outage of the database
 * does not keep its honest reply from being published.
 *
 * <p>Both ways build the event with {@link TicketEvents}, which derives its id from the write's idempotency key, so
 * they give the same id for the same write.
 */
public final class RecordedTicketEvents implements Agent {

    private final Agent delegate;
    private final SupportRepository repository;

    public RecordedTicketEvents(Agent delegate, SupportRepository repository) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
        this.repository = Objects.requireNonNull(repository, "repository");
    }

    @Override
    public TurnOutcome respond(TurnRequest request) throws Exception {
        TurnOutcome outcome = delegate.respond(request);
        // A degraded outcome comes from the fallback, after the primary model may already have run tools.
        if (!request.mayFollowAnotherAttempt() && !outcome.degraded()) {
            return outcome;
        }
        List<TicketEvent> events = repository.changesRecordedUnder(TurnContext.keyPrefix(request.conversationId(),
                request.messageId()))
                .stream().map(change -> TicketEvents.of(change, request.conversationId(), request.messageId()))
                .toList();
        return outcome.withTicketEvents(events);
    }

    @Override
    public void answered(TurnRequest request) {
        delegate.answered(request);
    }
}
