package io.helpstream.agent;

import io.helpstream.schema.TicketEvent;
import io.helpstream.tickets.RecordedTicketChange;
import io.helpstream.tickets.SupportRepository;
import io.helpstream.turn.Agent;
import io.helpstream.turn.TurnOutcome;
import io.helpstream.turn.TurnRequest;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * Gives a finished turn the ticket events of every ticket change its message caused, read back from the database.
 * A turn's attempt may fail after its tools wrote, and the attempt that finally answers (a retry, the fallback model,
 * a replay after a crash) need not make the same calls: the recorded writes, not the last attempt's calls, say which
 * events are due. Each event's id derives from the write's idempotency key, so a replay publishes the same ids.
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
        List<TicketEvent> events = repository.changesRecordedUnder(TurnContext.keyPrefix(request.messageId()))
                .stream().map(change -> event(change, request)).toList();
        return new TurnOutcome(outcome.replyText(), outcome.model(), outcome.usage(), outcome.toolCalls(), events,
                outcome.contextUpdates(), outcome.customer(), outcome.degraded());
    }

    static TicketEvent event(RecordedTicketChange change, TurnRequest request) {
        return new TicketEvent(
                UUID.nameUUIDFromBytes(change.idempotencyKey().getBytes(StandardCharsets.UTF_8)).toString(),
                change.type(), change.ticketId(), change.customerId(), change.status(), change.priority(),
                change.subject(), change.at(), request.conversationId(), request.messageId());
    }
}
