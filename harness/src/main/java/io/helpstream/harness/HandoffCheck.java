package io.helpstream.harness;

import io.helpstream.contract.Replies;
import io.helpstream.schema.AgentAction;
import io.helpstream.schema.AgentActionType;
import io.helpstream.schema.AgentReply;
import io.helpstream.schema.HandoffEvent;
import io.helpstream.schema.HandoffEventType;
import io.helpstream.schema.ReplyAuthor;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checks the handoffs, read with {@code read_committed}, against what the desk did: every handoff event once; each
 * conversation that asked for a person requested, accepted and released exactly once; every action the desk sent
 * answered by exactly one event and none rejected; every REPLY action exactly one human reply; every message the
 * customer wrote to the human answered by a human reply.
 */
final class HandoffCheck {

    static final String DUPLICATE_EVENTS = "duplicate handoff events";
    static final String NOT_ONCE = "handoff conversations without exactly one REQUESTED, ACCEPTED and RELEASED";
    static final String ACTIONS_WITHOUT_ONE_OUTCOME = "agent actions without exactly one outcome event";
    static final String REJECTED = "agent actions rejected";
    static final String HUMAN_REPLIES = "REPLY actions without exactly one human reply";
    static final String NOT_ANSWERED_BY_HUMAN = "messages to the human not answered by a human";

    private static final Set<HandoffEventType> ONCE_PER_HANDOFF = Set.of(HandoffEventType.REQUESTED,
            HandoffEventType.ACCEPTED, HandoffEventType.RELEASED);

    private HandoffCheck() {
    }

    static void check(Workload workload, List<AgentAction> sent, List<HandoffEvent> events, List<AgentReply> replies,
                      Verdict verdict) {
        for (String invariant : List.of(DUPLICATE_EVENTS, NOT_ONCE, ACTIONS_WITHOUT_ONE_OUTCOME, REJECTED,
                HUMAN_REPLIES, NOT_ANSWERED_BY_HUMAN)) {
            verdict.invariant(invariant);
        }
        Map<String, Integer> byId = new HashMap<>();
        Map<String, Map<HandoffEventType, Integer>> byConversation = new HashMap<>();
        Map<String, Integer> outcomes = new HashMap<>();
        for (HandoffEvent event : events) {
            if (byId.merge(event.getEventId(), 1, Integer::sum) > 1) {
                verdict.violation(DUPLICATE_EVENTS, event.getEventId() + " (" + event.getType() + " of "
                        + event.getConversationId() + ")");
            }
            byConversation.computeIfAbsent(event.getConversationId(), id -> new EnumMap<>(HandoffEventType.class))
                    .merge(event.getType(), 1, Integer::sum);
            if (event.getActionId() != null) {
                outcomes.merge(event.getActionId(), 1, Integer::sum);
            }
            if (event.getType() == HandoffEventType.ACTION_REJECTED) {
                verdict.violation(REJECTED, event.getActionId() + ": " + event.getReason());
            }
        }
        Set<String> asked = new HashSet<>();
        workload.ofKind(PlannedMessage.Kind.ASK_FOR_PERSON).forEach(message -> asked.add(message.conversationId()));
        for (String conversation : asked) {
            Map<HandoffEventType, Integer> counts = byConversation.getOrDefault(conversation, Map.of());
            for (HandoffEventType type : ONCE_PER_HANDOFF) {
                if (counts.getOrDefault(type, 0) != 1) {
                    verdict.violation(NOT_ONCE, conversation + ": " + counts.getOrDefault(type, 0) + " " + type);
                }
            }
        }
        Map<String, Integer> humanReplies = new HashMap<>();
        Set<String> answeredByHuman = new HashSet<>();
        for (AgentReply reply : replies) {
            if (reply.getAuthor() == ReplyAuthor.HUMAN) {
                humanReplies.merge(reply.getInReplyTo(), 1, Integer::sum);
                answeredByHuman.addAll(reply.getAnswers());
            }
        }
        for (AgentAction action : sent) {
            int count = outcomes.getOrDefault(action.getActionId(), 0);
            if (count != 1) {
                verdict.violation(ACTIONS_WITHOUT_ONE_OUTCOME, action.getActionId() + " (" + action.getType()
                        + "): " + count + " events");
            }
            if (action.getType() == AgentActionType.REPLY && humanReplies.getOrDefault(action.getActionId(), 0) != 1) {
                verdict.violation(HUMAN_REPLIES, action.getActionId() + ": "
                        + humanReplies.getOrDefault(action.getActionId(), 0) + " human replies");
            }
        }
        for (PlannedMessage message : workload.ofKind(PlannedMessage.Kind.TO_HUMAN)) {
            if (!answeredByHuman.contains(message.messageId())) {
                verdict.violation(NOT_ANSWERED_BY_HUMAN, message.messageId() + " answered by "
                        + replies.stream().filter(reply -> Replies.answered(reply).contains(message.messageId()))
                        .map(reply -> reply.getAuthor() + "/" + reply.getModel()).toList());
            }
        }
        verdict.figure("conversations handed off", asked.size());
        verdict.figure("agent actions sent", sent.size());
        verdict.figure("human replies read (read_committed)", humanReplies.values().stream()
                .mapToInt(Integer::intValue).sum());
        verdict.figure("handoff events read (read_committed)", events.size());
    }

    /** What replies may answer other than customer messages: the desk's actions and the handoff events. */
    static Set<String> causes(List<AgentAction> sent, List<HandoffEvent> events) {
        Set<String> causes = new HashSet<>();
        sent.forEach(action -> causes.add(action.getActionId()));
        events.forEach(event -> causes.add(event.getEventId()));
        return causes;
    }
}
