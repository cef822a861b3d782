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
import io.helpstream.schema.TokenUsage;
import io.helpstream.security.Budgets;
import io.helpstream.turn.PersonRequest;
import io.helpstream.turn.TurnOutcome;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
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
    private final Counter requested;
    private final Counter timedOut;

    HandoffSteps(ConversationSettings settings, MeterRegistry registry) {
        this.settings = settings;
        this.requested = registry.counter("helpstream.handoffs.requested");
        this.timedOut = registry.counter("helpstream.handoffs.timed.out");
    }

    /**
     * What happens to a message just accepted into the conversation's inbox (at {@code sequence}), other than a turn:
     * while handed off it is published for the human; a message asking for a person hands off. True when no bot turn
     * is to answer it.
     */
    boolean accepted(ProcessorContext<String, Object> context, ConversationStore store, ConversationMeta conversation,
                     CustomerMessage message, long sequence, boolean busy, long now) {
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
        HandoffEvent event = Handoffs.request(conversation, request.get(), message.getMessageId(), now,
                settings.handoff());
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
        context.forward(new Record<>(id, Handoffs.notice(id, message.getMessageId(), Handoffs.REQUESTED, now), now),
                ConversationTopology.REPLIES);
        AgentActions.forward(context, event, now);
        requested.increment();
        return true;
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
        HandoffEvent event = Handoffs.request(conversation, request.get(), messageId, now, settings.handoff());
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
        if (keepWaiting) {
            next.setHandoffDeadline(now + settings.handoff().timeout().toMillis());
        } else {
            Handoffs.toBot(next);
            event.setMode(ConversationMode.BOT);
        }
        HandoffEvent timedOutEvent = event.setReason("nobody accepted within " + settings.handoff().timeout()).build();
        store.putMeta(id, store.encode("conversation", Topics.CONVERSATION_META, next));
        context.forward(new Record<>(id, Handoffs.notice(id, timedOutEvent.getEventId(),
                keepWaiting ? Handoffs.STILL_WAITING : Handoffs.BACK_TO_BOT, now), now), ConversationTopology.REPLIES);
        AgentActions.forward(context, timedOutEvent, now);
        if (keepWaiting) {
            store.index(next.getHandoffDeadline(), id);
        }
        timedOut.increment();
        log.info("Conversation {} waited for a human past {}; {}", id, settings.handoff().timeout(),
                keepWaiting ? "waiting again" : "back to the bot");
        return next;
    }

    /** A handed-off conversation ended by idleness: the desk is told with an ENDED event. */
    static void endedIdle(ProcessorContext<String, Object> context, ConversationMeta conversation, long now) {
        if (Handoffs.handedOff(conversation)) {
            HandoffEvent.Builder event = Handoffs.event(conversation, HandoffEventType.ENDED, "idle", now)
                    .setReason("no activity within the idle timeout").setMode(ConversationMode.BOT);
            AgentActions.forward(context, event.build(), now);
        }
    }
}
