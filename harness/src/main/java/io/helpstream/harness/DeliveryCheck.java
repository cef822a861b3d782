package io.helpstream.harness;

import io.helpstream.contract.Replies;
import io.helpstream.schema.AgentReply;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checks the replies read with {@code read_committed}: exactly one per message, in message order within each
 * conversation, none an apology, and each summary counting every message of its conversation (the history survived
 * every restart).
 */
final class DeliveryCheck {

    static final String DUPLICATES = "duplicate replies";
    static final String MISSING = "messages without a reply";
    static final String ORDER = "replies out of message order";
    static final String DEGRADED = "degraded (apology) replies";
    static final String UNKNOWN = "replies to unknown messages";
    static final String HISTORY = "summaries missing earlier messages";

    private DeliveryCheck() {
    }

    static void check(Workload workload, List<AgentReply> replies, Verdict verdict) {
        check(workload, replies, Set.of(), verdict);
    }

    /**
     * @param causes what a reply may answer besides the workload's messages (a desk's actions, handoff events): a
     *               reply that answers only those is a notice about the handoff, not a reply to a message
     */
    static void check(Workload workload, List<AgentReply> replies, Set<String> causes, Verdict verdict) {
        for (String invariant : List.of(DUPLICATES, MISSING, ORDER, DEGRADED, UNKNOWN, HISTORY)) {
            verdict.invariant(invariant);
        }
        Map<String, PlannedMessage> planned = new HashMap<>();
        workload.messages().forEach(message -> planned.put(message.messageId(), message));
        Map<String, Integer> counts = new HashMap<>();
        Map<String, Integer> lastIndex = new HashMap<>();
        for (AgentReply reply : replies) {
            if (causes.containsAll(Replies.answered(reply))) {
                continue;
            }
            // A reply may answer several messages that waited together; each is checked as answered by it.
            for (String answered : Replies.answered(reply)) {
                PlannedMessage message = planned.get(answered);
                if (message == null) {
                    verdict.violation(UNKNOWN, answered);
                    continue;
                }
                if (counts.merge(message.messageId(), 1, Integer::sum) > 1) {
                    verdict.violation(DUPLICATES, message.messageId());
                }
                Integer previous = lastIndex.put(message.conversationId(), message.index());
                if (previous != null && message.index() < previous) {
                    verdict.violation(ORDER, message.conversationId() + ": reply to message " + message.index()
                            + " after the reply to message " + previous);
                }
                if (reply.getDegraded()) {
                    verdict.violation(DEGRADED, message.messageId());
                }
                if (message.kind() == PlannedMessage.Kind.SUMMARY && answered.equals(reply.getInReplyTo())) {
                    String expected = "User messages: " + (message.index() + 1);
                    if (!reply.getText().contains(expected)) {
                        verdict.violation(HISTORY, message.messageId() + " expected '" + expected + "' in: "
                                + reply.getText().replace('\n', ' '));
                    }
                }
            }
        }
        for (PlannedMessage message : workload.messages()) {
            if (!counts.containsKey(message.messageId())) {
                verdict.violation(MISSING, message.messageId());
            }
        }
        verdict.figure("replies read (read_committed)", replies.size());
        verdict.figure("messages answered", counts.size());
    }
}
