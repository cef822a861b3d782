package io.helpstream.conversation;

import io.helpstream.contract.SafeText;
import io.helpstream.schema.AgentAction;
import io.helpstream.schema.AgentReply;
import io.helpstream.schema.AuditCategory;
import io.helpstream.schema.AuditOutcome;
import io.helpstream.schema.ConversationMeta;
import io.helpstream.schema.ConversationMode;
import io.helpstream.schema.CustomerBinding;
import io.helpstream.schema.HandoffEvent;
import io.helpstream.schema.HandoffEventType;
import io.helpstream.schema.HandoffTrigger;
import io.helpstream.schema.HistoryTurn;
import io.helpstream.schema.ReplyAuthor;
import io.helpstream.schema.TicketPriority;
import io.helpstream.schema.TokenUsage;
import io.helpstream.schema.TrustLevel;
import io.helpstream.security.Budgets;
import io.helpstream.turn.TurnOutcome;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * The rules of handing a conversation to a human, as pure functions over its meta: when a handoff is requested, which
 * agent action applies in which mode, and the records that announce each change. The stream thread is the only
 * caller; {@link AgentActions} and {@link ConversationProcessor} write what these functions return.
 */
final class Handoffs {

    static final String REQUESTED = "I'm passing this conversation to a member of our support team. Please stay "
            + "here: they will reply in this conversation.";
    static final String ACCEPTED = "A member of our support team has joined the conversation.";
    static final String RELEASED = "Our assistant is back with you in this conversation.";
    static final String ENDED = "Our support team has closed this conversation. Thank you for contacting us.";
    static final String STILL_WAITING = "Our support team is still busy. Please stay here: a member of the team will "
            + "reply as soon as one is free.";
    static final String BACK_TO_BOT = "Nobody from our support team is free right now, so our assistant is back with "
            + "you. You can ask for a person again later.";
    static final String FOLLOW_UP = "We have opened ticket %s so that our team gets back to you.";
    static final String CLOSED_UNANSWERED = "This conversation was closed before our support team could reply. "
            + "Please write to us again if you still need help.";
    /** The model a human agent's reply names. */
    static final String HUMAN_MODEL = "human";

    /** Why a conversation is handed off; {@code summary} is for the human and may be null. */
    record Request(HandoffTrigger trigger, String reason, String summary) {
        Request {
            Objects.requireNonNull(trigger, "trigger");
            Objects.requireNonNull(reason, "reason");
        }
    }

    private Handoffs() {
    }

    static boolean handedOff(ConversationMeta conversation) {
        return conversation.getMode() != ConversationMode.BOT;
    }

    /**
     * What a finished turn asks of the handoff, counting it among the failed turns in a row when it was answered by
     * the fallback model or with the apology. Empty when the conversation is handed off already or no switched-on
     * trigger fired.
     */
    static Optional<Request> afterTurn(ConversationMeta conversation, TurnOutcome outcome, boolean verificationFailed,
                                       HandoffSettings settings) {
        conversation.setFailedTurnsInRow(outcome.degraded() ? conversation.getFailedTurnsInRow() + 1 : 0);
        if (handedOff(conversation)) {
            return Optional.empty();
        }
        if (outcome.handoff() != null && settings.tool()) {
            return Optional.of(new Request(HandoffTrigger.AGENT_TOOL, outcome.handoff().reason(),
                    outcome.handoff().summary()));
        }
        if (verificationFailed && settings.onVerificationFailure()) {
            return Optional.of(new Request(HandoffTrigger.VERIFICATION_FAILED, "the customer's one-time code was "
                    + "wrong with no attempts left", null));
        }
        if (settings.onBudgetRefusal() && outcome.audit().stream().anyMatch(record ->
                record.getCategory() == AuditCategory.BUDGET && record.getOutcome() == AuditOutcome.REFUSED
                        && !record.getAction().equals(Budgets.Kind.MESSAGES_PER_MINUTE.name()))) {
            return Optional.of(new Request(HandoffTrigger.BUDGET_REFUSED, "a budget refused the customer's "
                    + "message", null));
        }
        if (settings.afterFailedTurns() > 0 && conversation.getFailedTurnsInRow() >= settings.afterFailedTurns()) {
            return Optional.of(new Request(HandoffTrigger.FAILED_TURNS, conversation.getFailedTurnsInRow()
                    + " turns in a row failed or were answered by the fallback model", null));
        }
        return Optional.empty();
    }

    /**
     * The handoff a finished turn makes, if any (see {@link #afterTurn}): the REQUESTED event, keyed by the turn's
     * message. Unless the model asked for it (and so said it), the turn's reply and history turn announce it.
     */
    static List<HandoffEvent> afterTurn(ConversationMeta conversation, TurnOutcome outcome,
                                        boolean verificationFailed, HistoryTurn turn, AgentReply reply, long now,
                                        HandoffSettings settings) {
        return afterTurn(conversation, outcome, verificationFailed, settings).map(request -> {
            if (request.trigger() != HandoffTrigger.AGENT_TOOL) {
                turn.setReplyText(turn.getReplyText() + "\n\n" + REQUESTED);
                reply.setText(reply.getText() + "\n\n" + REQUESTED);
            }
            return request(conversation, request, turn.getMessageId(), now, settings);
        }).stream().toList();
    }

    /** A trigger fired outside a turn (the customer asked, a budget refused) and switched on, in mode BOT. */
    static Optional<Request> onArrival(ConversationMeta conversation, HandoffTrigger trigger,
                                       HandoffSettings settings) {
        boolean on = switch (trigger) {
            case CUSTOMER_ASKED -> settings.onCustomerRequest();
            case BUDGET_REFUSED -> settings.onBudgetRefusal();
            default -> false;
        };
        if (!on || handedOff(conversation)) {
            return Optional.empty();
        }
        return Optional.of(new Request(trigger, trigger == HandoffTrigger.CUSTOMER_ASKED
                ? "the customer asked for a person" : "a budget refused the customer's message", null));
    }

    /**
     * Hands the conversation off: it waits for a human until {@code now} plus the timeout. Returns the REQUESTED
     * event, its id derived from {@code cause} (the message or turn that asked).
     */
    static HandoffEvent request(ConversationMeta conversation, Request request, String cause, long now,
                                HandoffSettings settings) {
        conversation.setMode(ConversationMode.WAITING_FOR_HUMAN);
        conversation.setHandoffRequestedAt(now);
        conversation.setHandoffTrigger(request.trigger().name());
        conversation.setHandoffAgentId(null);
        conversation.setHandoffDeadline(now + settings.timeout().toMillis());
        conversation.setFailedTurnsInRow(0);
        return event(conversation, HandoffEventType.REQUESTED, cause, now)
                .setReason(request.reason())
                .setSummary(request.summary())
                .setPriority(priority(request.trigger().name()))
                .build();
    }

    /** How urgent a handoff of the trigger (by name) is: a customer the bot kept failing comes first. */
    static TicketPriority priority(String trigger) {
        return HandoffTrigger.FAILED_TURNS.name().equals(trigger)
                || HandoffTrigger.VERIFICATION_FAILED.name().equals(trigger)
                ? TicketPriority.HIGH : TicketPriority.MEDIUM;
    }

    /** Back to the bot: the handoff's facts are cleared (build the event announcing it first). */
    static void toBot(ConversationMeta conversation) {
        conversation.setMode(ConversationMode.BOT);
        conversation.setHandoffRequestedAt(0);
        conversation.setHandoffTrigger(null);
        conversation.setHandoffAgentId(null);
        conversation.setHandoffDeadline(0);
        conversation.setFailedTurnsInRow(0);
    }

    /** True when the conversation waits for a human past its deadline. */
    static boolean timedOut(ConversationMeta conversation, long now) {
        return conversation.getMode() == ConversationMode.WAITING_FOR_HUMAN && conversation.getHandoffDeadline() > 0
                && now >= conversation.getHandoffDeadline();
    }

    /**
     * Why the action does not apply to the conversation as it stands, or empty when it does. The text of a REPLY or a
     * NOTE must be there and within {@code maxTextBytes}.
     */
    static Optional<String> refusal(ConversationMeta conversation, AgentAction action, int maxTextBytes) {
        ConversationMode mode = conversation.getMode();
        String holder = conversation.getHandoffAgentId();
        boolean heldByOther = mode == ConversationMode.HUMAN && holder != null
                && !holder.equals(action.getAgentId());
        switch (action.getType()) {
            case UNKNOWN:
                return Optional.of("unknown action type");
            case ACCEPT:
                if (mode == ConversationMode.HUMAN) {
                    return Optional.of(heldByOther ? "already accepted by agent " + holder
                            : "already accepted by this agent");
                }
                break;
            case REPLY:
                if (mode == ConversationMode.WAITING_FOR_HUMAN) {
                    return Optional.of("the conversation waits for a human: ACCEPT it before replying");
                }
                break;
            default:
                break;
        }
        if (mode == ConversationMode.BOT) {
            return Optional.of("the conversation is not handed off (mode BOT)");
        }
        if (heldByOther) {
            return Optional.of("the conversation is held by agent " + holder);
        }
        boolean needsText = switch (action.getType()) {
            case REPLY, NOTE -> true;
            default -> false;
        };
        if (needsText) {
            String text = action.getText() == null ? "" : SafeText.clean(action.getText()).strip();
            if (text.isEmpty()) {
                return Optional.of("a " + action.getType() + " needs text");
            }
            int bytes = text.getBytes(StandardCharsets.UTF_8).length;
            if (bytes > maxTextBytes) {
                return Optional.of("text has " + bytes + " bytes (UTF-8), the maximum is " + maxTextBytes);
            }
        }
        return Optional.empty();
    }

    /**
     * An event about the conversation as it stands now (mode, the current handoff, who the customer is), its id
     * derived from the conversation, the type and {@code cause}: a retry or a redelivery makes the same id.
     */
    static HandoffEvent.Builder event(ConversationMeta conversation, HandoffEventType type, String cause, long now) {
        CustomerBinding customer = conversation.getCustomer();
        String trigger = conversation.getHandoffTrigger();
        return HandoffEvent.newBuilder()
                .setEventId(id("handoff", conversation.getConversationId(), type.name() + '\u0000' + cause))
                .setConversationId(conversation.getConversationId())
                .setType(type)
                .setAt(Instant.ofEpochMilli(now))
                .setMode(conversation.getMode())
                .setRequestedAt(conversation.getHandoffRequestedAt() > 0
                        ? Instant.ofEpochMilli(conversation.getHandoffRequestedAt()) : null)
                .setTrigger(trigger == null ? null : trigger(trigger))
                .setCustomerId(customer != null && customer.getVerified() ? customer.getCustomerId() : null)
                .setCustomerEmail(customer == null ? null : customer.getEmail())
                .setTrust(customer == null ? TrustLevel.NONE
                        : customer.getVerified() ? TrustLevel.VERIFIED : TrustLevel.CLAIMED)
                .setOpenTickets(List.of())
                .setAgentId(conversation.getHandoffAgentId());
    }

    /** An event answering an agent's action (ACCEPTED, HUMAN_REPLY, NOTE, RELEASED, ENDED, ACTION_REJECTED). */
    static HandoffEvent.Builder actionEvent(ConversationMeta conversation, HandoffEventType type, AgentAction action,
                                            long now) {
        return event(conversation, type, action.getActionId(), now)
                .setAgentId(action.getAgentId())
                .setActionId(action.getActionId());
    }

    /**
     * One of helpstream's fixed replies about the handoff, written by the bot, replying to {@code inReplyTo} (the
     * message, action or event that caused it).
     */
    static AgentReply notice(String conversationId, String inReplyTo, String text, long now) {
        return notice(conversationId, inReplyTo, text, now, List.of());
    }

    /** A fixed reply that also answers the {@code answers} messages (which then get no other reply). */
    static AgentReply notice(String conversationId, String inReplyTo, String text, long now, List<String> answers) {
        return reply(conversationId, inReplyTo, text, now, "none", ReplyAuthor.BOT, null, answers);
    }

    /**
     * A human agent's reply, answering the {@code answers} messages that waited for it (none: a follow-up): its id
     * derives from the action, so a redelivery could only make the same one.
     */
    static AgentReply human(String conversationId, AgentAction action, String text, long now, List<String> answers) {
        return reply(conversationId, action.getActionId(), text, now, HUMAN_MODEL, ReplyAuthor.HUMAN,
                action.getAgentId(), answers);
    }

    private static AgentReply reply(String conversationId, String inReplyTo, String text, long now, String model,
                                    ReplyAuthor author, String agentId, List<String> answers) {
        return AgentReply.newBuilder()
                .setReplyId(id("handoff-reply", conversationId, inReplyTo))
                .setConversationId(conversationId)
                .setInReplyTo(inReplyTo)
                .setText(SafeText.clean(text))
                .setCreatedAt(Instant.ofEpochMilli(now))
                .setModel(model)
                .setUsage(new TokenUsage(0, 0, 0))
                .setToolsUsed(List.of())
                .setLatencyMs(0)
                .setDegraded(false)
                .setAnswers(List.copyOf(answers))
                .setAuthor(author)
                .setAgentId(agentId)
                .build();
    }

    private static HandoffTrigger trigger(String name) {
        try {
            return HandoffTrigger.valueOf(name);
        } catch (IllegalArgumentException e) {
            return HandoffTrigger.OTHER;
        }
    }

    private static String id(String kind, String conversationId, String cause) {
        return UUID.nameUUIDFromBytes((kind + ":" + conversationId + '\u0000' + cause)
                .getBytes(StandardCharsets.UTF_8)).toString();
    }
}
