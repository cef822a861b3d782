package io.helpstream.conversation;

import io.helpstream.contract.Topics;
import io.helpstream.conversation.ConversationStore.Pending;
import io.helpstream.schema.ConversationMeta;
import io.helpstream.schema.ConversationMode;
import io.helpstream.schema.CustomerMessage;
import io.helpstream.schema.HandoffEvent;
import io.helpstream.schema.HandoffEventType;
import io.helpstream.schema.HandoffTrigger;
import io.helpstream.schema.HistoryTurn;
import io.helpstream.schema.TicketEvent;
import io.helpstream.schema.TokenUsage;
import io.helpstream.security.Budgets;
import io.helpstream.turn.PersonRequest;
import io.helpstream.turn.TurnOutcome;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The handoff's steps the conversation processor takes outside turns, on the stream thread: a customer message that
 * asks for a person, a message that arrives while a human has the conversation, a handoff that waited too long. Each
 * writes its reply, its events and the conversation in the step of the record or punctuation that caused it, so in
 * its exactly-once transaction.
 */
final class HandoffSteps {

    private static final Logger log = LoggerFactory.getLogger(HandoffSteps.class);

    private final ConversationSettings settings;
    private final HandoffTickets tickets;
    private final Counter requested;
    private final Counter timedOut;

    HandoffSteps(ConversationSettings settings, HandoffTickets tickets, MeterRegistry registry) {
        this.settings = settings;
        this.tickets = tickets;
        this.requested = registry.counter("helpstream.handoffs.requested");
        this.timedOut = registry.counter("helpstream.handoffs.timed.out");
    }

    /**
     * What happens to a message just accepted into the conversation's inbox (at {@code sequence}), other than a turn:
     * while handed off it is published for the human; a message asking for a person hands off. True when no bot turn
     * is to answer it. {@code inTurn}: how many of the oldest pending messages a running turn answers (the bot
     * still replies to those); every other one that waits is published for the human when the conversation hands off.
     */
    boolean accepted(ProcessorContext<String, Object> context, ConversationStore store, ConversationMeta conversation,
                     CustomerMessage message, long sequence, boolean busy, int inTurn, long now) {
        if (Handoffs.handedOff(conversation)) {
            AgentActions.forward(context, Handoffs.event(conversation, HandoffEventType.CUSTOMER_MESSAGE,
                    message.getMessageId(), now).setMessageId(message.getMessageId()).setText(message.getText())
                    .build(), now);
            return true;
        }
        if (!PersonRequest.in(message.getText())) {
            return false;
        }
        Optional<Handoffs.Request> request = Handoffs.onArrival(conversation, HandoffTrigger.CUSTOMER_ASKED,
                settings.handoff());
        if (request.isEmpty()) {
            return false;
        }
        String id = conversation.getConversationId();
        HandoffEvent event = withOpenTickets(Handoffs.request(conversation, request.get(), message.getMessageId(),
                now, settings.handoff()), conversation, now);
        event.setMessageId(message.getMessageId());
        event.setText(message.getText());
        // Answered now when it is all that waits; otherwise it waits with the others for the human's reply.
        ConversationStore.PendingRead read = busy || conversation.getPendingCount() != 1 ? null
                : store.pending(conversation, 1);
        HistoryTurn turn = null;
        if (read != null && read.unreadable().isEmpty() && read.messages().size() == 1
                && read.messages().get(0).sequence() == sequence) {
            List<Pending> answered = read.messages();
            turn = Conversations.complete(conversation, answered, TurnOutcome.builder().replyText(Handoffs.REQUESTED)
                    .model("none").usage(new TokenUsage(0, 0, 0)).build(), message.getText(), now);
            store.deletePending(id, sequence);
        }
        if (turn != null) {
            int number = conversation.getTurnCount();
            store.putTurn(id, number, store.encode("history turn", Topics.HISTORY_TURN, turn));
            if (number - settings.historyWindow() >= 1) {
                store.deleteTurn(id, number - settings.historyWindow());
            }
        }
        store.putMeta(id, store.encode("conversation", Topics.CONVERSATION_META, conversation));
        store.index(conversation.getHandoffDeadline(), id);
        // The notice answers the message only when the message is answered now; else it replies to the handoff.
        context.forward(new Record<>(id, Handoffs.notice(id, turn != null ? message.getMessageId()
                : event.getEventId(), Handoffs.REQUESTED, now), now), ConversationTopology.REPLIES);
        AgentActions.forward(context, event, now);
        if (turn == null) {
            announceWaiting(context, store, conversation, inTurn, message.getMessageId(), now);
        }
        requested.increment();
        return true;
    }

    /**
     * Publishes a CUSTOMER_MESSAGE event for each message that waits in a conversation just handed off, but for the
     * {@code skip} oldest (a running turn answers them) and {@code except} (the request announces it): the desk sees
     * every message the human is to answer.
     */
    void announceWaiting(ProcessorContext<String, Object> context, ConversationStore store,
                         ConversationMeta conversation, int skip, String except, long now) {
        List<Pending> waiting = store.pending(conversation, Integer.MAX_VALUE).messages();
        for (Pending pending : waiting.subList(Math.min(skip, waiting.size()), waiting.size())) {
            CustomerMessage message = pending.message().getMessage();
            if (!message.getMessageId().equals(except)) {
                AgentActions.forward(context, Handoffs.event(conversation, HandoffEventType.CUSTOMER_MESSAGE,
                        message.getMessageId(), now).setMessageId(message.getMessageId()).setText(message.getText())
                        .build(), now);
            }
        }
    }

    /** The ids of the messages that wait in the conversation, oldest first. */
    static List<String> waitingIds(ConversationStore store, ConversationMeta conversation) {
        return store.pending(conversation, Integer.MAX_VALUE).messages().stream()
                .map(pending -> pending.message().getMessage().getMessageId()).toList();
    }

    /**
     * A message a token budget refused hands the conversation off when that trigger is on: the REQUESTED event and
     * the conversation are written here, the refusal's reply (which is to say so) is the caller's. A flood (the
     * messages per minute) never summons a human. True when it handed off.
     */
    boolean refused(ProcessorContext<String, Object> context, ConversationStore store, ConversationMeta conversation,
                    Budgets.Kind kind, String messageId, long now) {
        if (kind == Budgets.Kind.MESSAGES_PER_MINUTE) {
            return false;
        }
        Optional<Handoffs.Request> request = Handoffs.onArrival(conversation, HandoffTrigger.BUDGET_REFUSED,
                settings.handoff());
        if (request.isEmpty()) {
            return false;
        }
        String id = conversation.getConversationId();
        HandoffEvent event = withOpenTickets(Handoffs.request(conversation, request.get(), messageId, now,
                settings.handoff()), conversation, now);
        store.putMeta(id, store.encode("conversation", Topics.CONVERSATION_META, conversation));
        store.index(conversation.getHandoffDeadline(), id);
        store.index(Conversations.idleDeadline(conversation, settings.idleTimeout()), id);
        AgentActions.forward(context, event, now);
        requested.increment();
        return true;
    }

    /** Counts a handoff a turn requested. */
    void requestedByTurn() {
        requested.increment();
    }

    /**
     * A REQUESTED event with its customer's id and open tickets, when the conversation's customer is verified (a
     * claim gets neither: the customer may lie).
     */
    HandoffEvent withOpenTickets(HandoffEvent event, ConversationMeta conversation, long now) {
        tickets.customerId(conversation.getCustomer(), now).ifPresent(customerId -> {
            event.setCustomerId(customerId);
            event.setOpenTickets(tickets.open(customerId, now));
        });
        return event;
    }

    /**
     * A conversation that waited for a human past its deadline: the customer is told, a TIMED_OUT event published,
     * and the policy applied (wait again, with the timer restarted, or back to the bot). Returns the conversation as
     * stored now.
     */
    ConversationMeta timeOut(ProcessorContext<String, Object> context, ConversationStore store,
                             ConversationMeta conversation, long now) {
        ConversationMeta next = ConversationMeta.newBuilder(conversation).build();
        String id = next.getConversationId();
        String cause = "timeout:" + next.getHandoffDeadline();
        HandoffEvent.Builder event = Handoffs.event(next, HandoffEventType.TIMED_OUT, cause, now);
        boolean keepWaiting = settings.handoff().timeoutPolicy() == HandoffSettings.TimeoutPolicy.KEEP_WAITING;
        String reason = "nobody accepted within " + settings.handoff().timeout();
        Optional<TicketEvent> followUp = Optional.empty();
        if (keepWaiting) {
            next.setHandoffDeadline(now + settings.handoff().timeout().toMillis());
        } else {
            followUp = followUp(next, cause, event.getEventId(), now);
            reason += followUp.isPresent() ? "; follow-up ticket " + followUp.get().getTicketId() + " opened"
                    : next.getCustomer() == null || !next.getCustomer().getVerified()
                    ? "; no follow-up ticket: the customer is not verified"
                    : "; no follow-up ticket: the ticket system could not open one";
            Handoffs.toBot(next);
            event.setMode(ConversationMode.BOT);
        }
        followUp.ifPresent(ticket -> event.setTicketId(ticket.getTicketId())
                .setOpenTickets(List.of(ticket.getTicketId())));
        HandoffEvent timedOutEvent = event.setReason(reason).build();
        String text = keepWaiting ? Handoffs.STILL_WAITING : followUp.map(ticket -> Handoffs.BACK_TO_BOT + " "
                + Handoffs.FOLLOW_UP.formatted(ticket.getTicketId())).orElse(Handoffs.BACK_TO_BOT);
        byte[] meta = store.encode("conversation", Topics.CONVERSATION_META, next);
        context.forward(new Record<>(id, Handoffs.notice(id, timedOutEvent.getEventId(), text, now), now),
                ConversationTopology.REPLIES);
        followUp.ifPresent(ticket -> context.forward(new Record<>(ticket.getTicketId(), ticket, now),
                ConversationTopology.TICKET_EVENTS));
        AgentActions.forward(context, timedOutEvent, now);
        store.putMeta(id, meta);
        if (keepWaiting) {
            store.index(next.getHandoffDeadline(), id);
        }
        timedOut.increment();
        log.info("Conversation {} waited for a human past {}; {}", id, settings.handoff().timeout(),
                keepWaiting ? "waiting again" : "back to the bot");
        return next;
    }

    /**
     * The follow-up ticket of a handoff nobody accepted, for a verified customer: once per handoff (its key names the
     * conversation and the deadline), so a step that runs again after a crash gets the same ticket and event.
     */
    private Optional<TicketEvent> followUp(ConversationMeta conversation, String cause, String eventId, long now) {
        Optional<String> customerId = tickets.customerId(conversation.getCustomer(), now);
        if (customerId.isEmpty()) {
            return Optional.empty();
        }
        String trigger = conversation.getHandoffTrigger() == null ? "OTHER" : conversation.getHandoffTrigger();
        String description = "Conversation " + conversation.getConversationId() + " was handed to a human ("
                + trigger + ") at " + Instant.ofEpochMilli(conversation.getHandoffRequestedAt())
                + "; nobody accepted it within " + settings.handoff().timeout()
                + ", so it went back to the assistant. Please get in touch with the customer.";
        return tickets.followUp(customerId.get(), "Follow-up: a request for a person was not answered",
                description, Handoffs.priority(trigger), "handoff/" + conversation.getConversationId() + "/" + cause,
                conversation.getConversationId(), eventId, now);
    }

    /**
     * A handed-off conversation ended by idleness: the desk is told with an ENDED event, and messages nobody answered
     * get one closing reply that names them.
     */
    static void endedIdle(ProcessorContext<String, Object> context, ConversationStore store,
                          ConversationMeta conversation, long now) {
        if (Handoffs.handedOff(conversation)) {
            HandoffEvent event = Handoffs.event(conversation, HandoffEventType.ENDED, "idle", now)
                    .setReason("no activity within the idle timeout").setMode(ConversationMode.BOT).build();
            List<String> unanswered = waitingIds(store, conversation);
            if (!unanswered.isEmpty()) {
                String id = conversation.getConversationId();
                context.forward(new Record<>(id, Handoffs.notice(id, event.getEventId(), Handoffs.CLOSED_UNANSWERED,
                        now, unanswered), now), ConversationTopology.REPLIES);
            }
            AgentActions.forward(context, event, now);
        }
    }
}
