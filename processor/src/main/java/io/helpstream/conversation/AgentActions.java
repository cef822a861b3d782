package io.helpstream.conversation;

import io.helpstream.contract.SafeText;
import io.helpstream.contract.Topics;
import io.helpstream.conversation.ConversationStore.Loaded;
import io.helpstream.conversation.ConversationStore.Pending;
import io.helpstream.schema.AgentAction;
import io.helpstream.schema.AgentReply;
import io.helpstream.schema.ConversationMeta;
import io.helpstream.schema.ConversationMode;
import io.helpstream.schema.EndCause;
import io.helpstream.schema.HandoffEvent;
import io.helpstream.schema.HandoffEventType;
import io.helpstream.schema.HistoryTurn;
import io.helpstream.schema.TokenUsage;
import io.helpstream.turn.TurnOutcome;
import io.helpstream.turn.TurnRequest;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies the human agents' actions (support.agent-actions) to their conversations, on the stream thread of the task
 * that owns the conversation, so that each action's reply, events and state change are one exactly-once step. Each
 * action id is applied once: it is remembered in the message-id store for the dedup retention, whether the action
 * applied or was rejected, and a redelivery is dropped. An action that does not apply is answered with an
 * ACTION_REJECTED event naming why; nothing else changes.
 */
final class AgentActions {

    private static final Logger log = LoggerFactory.getLogger(AgentActions.class);

    /** Starts the dedup key of an action id: message ids carry no NUL (see the validator), so none meets it. */
    private static final String ACTION_KEY = "\u0000action\u0000";

    private final ConversationSettings settings;
    /** The conversation is back with the bot: answer what waits in it. */
    private final BiConsumer<String, ConversationMeta> released;
    /** The conversation ended and its records are gone: forget any turn of it. */
    private final Consumer<String> ended;
    private final Counter applied;
    private final Counter rejected;
    private final Counter duplicates;

    AgentActions(ConversationSettings settings, BiConsumer<String, ConversationMeta> released,
                 Consumer<String> ended, MeterRegistry registry) {
        this.settings = settings;
        this.released = released;
        this.ended = ended;
        this.applied = registry.counter("helpstream.agent.actions", "outcome", "applied");
        this.rejected = registry.counter("helpstream.agent.actions", "outcome", "rejected");
        this.duplicates = registry.counter("helpstream.agent.actions", "outcome", "duplicate");
    }

    void apply(ProcessorContext<String, Object> context, ConversationStore store, String id, AgentAction action,
               long now) {
        String dedup = ACTION_KEY + action.getActionId();
        if (store.seen(id, dedup)) {
            duplicates.increment();
            log.debug("Dropped redelivered action {} of conversation {}", action.getActionId(), id);
            return;
        }
        store.remember(id, dedup, now);
        Loaded loaded = store.load(id);
        if (loaded.missing() || loaded.unreadable() != null) {
            ConversationMeta unknown = Conversations.start(id, now);
            reject(context, unknown, action, loaded.missing() ? "no such conversation (it ended or never started)"
                    : "the conversation's stored state cannot be read", now);
            return;
        }
        ConversationMeta conversation = ConversationMeta.newBuilder(loaded.meta()).build();
        Optional<String> refusal = Handoffs.refusal(conversation, action, settings.messageLimits().maxTextBytes());
        if (refusal.isPresent()) {
            reject(context, conversation, action, refusal.get(), now);
            return;
        }
        applied.increment();
        conversation.setLastActivityAt(Instant.ofEpochMilli(now));
        switch (action.getType()) {
            case ACCEPT -> accept(context, store, conversation, action, now);
            case REPLY -> reply(context, store, conversation, action, now);
            case NOTE -> {
                forward(context, Handoffs.actionEvent(conversation, HandoffEventType.NOTE, action, now)
                        .setText(text(action)).build(), now);
                store.putMeta(id, store.encode("conversation", Topics.CONVERSATION_META, conversation));
            }
            case RELEASE -> release(context, store, conversation, action, now);
            case END -> end(context, store, conversation, action, now);
            default -> throw new IllegalStateException("refusal() lets no " + action.getType() + " through");
        }
    }

    private void accept(ProcessorContext<String, Object> context, ConversationStore store,
                        ConversationMeta conversation, AgentAction action, long now) {
        conversation.setMode(ConversationMode.HUMAN);
        conversation.setHandoffAgentId(action.getAgentId());
        conversation.setHandoffDeadline(0);
        String id = conversation.getConversationId();
        byte[] meta = store.encode("conversation", Topics.CONVERSATION_META, conversation);
        if (settings.handoff().announceAccept()) {
            replyWith(context, Handoffs.notice(id, action.getActionId(), Handoffs.ACCEPTED, now));
        }
        forward(context, Handoffs.actionEvent(conversation, HandoffEventType.ACCEPTED, action, now).build(), now);
        store.putMeta(id, meta);
    }

    /**
     * The human's reply goes to the customer and into the history, as the answer to the messages the customer sent
     * while the conversation was handed off (they leave the inbox), so the bot reads the exchange later.
     */
    private void reply(ProcessorContext<String, Object> context, ConversationStore store,
                       ConversationMeta conversation, AgentAction action, long now) {
        String id = conversation.getConversationId();
        String text = text(action);
        ConversationStore.PendingRead read = store.pending(conversation, Integer.MAX_VALUE,
                settings.maxRecordBytes() / 2);
        // Unreadable pending messages are the bot's turn's to dead-letter; the human's reply then answers none.
        List<Pending> answered = read.unreadable().isEmpty() ? read.messages() : List.of();
        // The reply names the messages it answers, so a gateway marks them answered as it does for the bot's.
        AgentReply reply = Handoffs.human(id, action, text, now, answered.stream()
                .map(pending -> pending.message().getMessage().getMessageId()).toList());
        String historyText = "[A member of the support team (" + action.getAgentId() + ") replied] " + text;
        HistoryTurn turn;
        if (answered.isEmpty()) {
            turn = HistoryTurn.newBuilder().setMessageId(action.getActionId()).setUserText("")
                    .setReceivedAt(Instant.ofEpochMilli(now)).setReplyText(historyText)
                    .setRepliedAt(Instant.ofEpochMilli(now)).build();
            conversation.setTurnCount(conversation.getTurnCount() + 1);
        } else {
            String userText = answered.stream().map(pending -> pending.message().getMessage().getText())
                    .collect(Collectors.joining(TurnRequest.MESSAGE_SEPARATOR));
            turn = Conversations.complete(conversation, answered, TurnOutcome.builder().replyText(historyText)
                    .model(Handoffs.HUMAN_MODEL).usage(new TokenUsage(0, 0, 0)).build(), userText, now);
        }
        HandoffEvent event = Handoffs.actionEvent(conversation, HandoffEventType.HUMAN_REPLY, action, now)
                .setMessageId(reply.getReplyId()).setText(text).build();
        byte[] encodedTurn = store.encode("history turn", Topics.HISTORY_TURN, turn);
        byte[] meta = store.encode("conversation", Topics.CONVERSATION_META, conversation);
        RecordLimit.check("reply", Topics.AGENT_REPLY.encode(reply), settings.maxRecordBytes());
        replyWith(context, reply);
        forward(context, event, now);
        answered.forEach(pending -> store.deletePending(id, pending.sequence()));
        int number = conversation.getTurnCount();
        store.putTurn(id, number, encodedTurn);
        if (number - settings.historyWindow() >= 1) {
            store.deleteTurn(id, number - settings.historyWindow());
        }
        store.putMeta(id, meta);
    }

    private void release(ProcessorContext<String, Object> context, ConversationStore store,
                         ConversationMeta conversation, AgentAction action, long now) {
        HandoffEvent.Builder event = Handoffs.actionEvent(conversation, HandoffEventType.RELEASED, action, now);
        Handoffs.toBot(conversation);
        String id = conversation.getConversationId();
        byte[] meta = store.encode("conversation", Topics.CONVERSATION_META, conversation);
        replyWith(context, Handoffs.notice(id, action.getActionId(), Handoffs.RELEASED, now));
        forward(context, event.setMode(ConversationMode.BOT).build(), now);
        store.putMeta(id, meta);
        released.accept(id, conversation);
    }

    /** Ends the conversation as an idle one ends: its ConversationEnded record, its records removed. */
    private void end(ProcessorContext<String, Object> context, ConversationStore store,
                     ConversationMeta conversation, AgentAction action, long now) {
        HandoffEvent.Builder event = Handoffs.actionEvent(conversation, HandoffEventType.ENDED, action, now);
        String id = conversation.getConversationId();
        // Messages still waiting are answered by the closing reply: none is left without one.
        replyWith(context, Handoffs.notice(id, action.getActionId(), Handoffs.ENDED, now,
                HandoffSteps.waitingIds(store, conversation)));
        forward(context, event.setMode(ConversationMode.BOT).build(), now);
        context.forward(new Record<>(id, Conversations.ended(conversation, now, EndCause.AGENT_ENDED,
                action.getAgentId()), now), ConversationTopology.CONVERSATION_EVENTS);
        store.delete(conversation, settings.historyWindow());
        ended.accept(id);
    }

    private void reject(ProcessorContext<String, Object> context, ConversationMeta conversation, AgentAction action,
                        String reason, long now) {
        rejected.increment();
        log.info("Rejected action {} ({}) of agent {} on conversation {}: {}", action.getActionId(),
                action.getType(), action.getAgentId(), conversation.getConversationId(), reason);
        forward(context, Handoffs.actionEvent(conversation, HandoffEventType.ACTION_REJECTED, action, now)
                .setReason(action.getType() + " rejected: " + reason).build(), now);
    }

    private static String text(AgentAction action) {
        return SafeText.clean(action.getText()).strip();
    }

    private static void replyWith(ProcessorContext<String, Object> context, AgentReply reply) {
        context.forward(new Record<>(reply.getConversationId(), reply, reply.getCreatedAt().toEpochMilli()),
                ConversationTopology.REPLIES);
    }

    static void forward(ProcessorContext<String, Object> context, HandoffEvent event, long now) {
        context.forward(new Record<>(event.getConversationId(), event, now), ConversationTopology.HANDOFFS);
    }
}
