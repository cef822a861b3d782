package io.helpstream.harness;

import io.helpstream.schema.ConversationState;
import io.helpstream.schema.HistoryTurn;
import java.util.List;
import java.util.Map;

/**
 * Checks each conversation's last committed state in the store's changelog: every message counted and answered,
 * nothing left in the inbox, and the history holding the latest messages in order.
 */
final class StateCheck {

    static final String LOST = "conversations with lost state";

    private StateCheck() {
    }

    static void check(Workload workload, Map<String, ConversationState> states, int historyWindow,
                      Verdict verdict) {
        verdict.invariant(LOST);
        workload.byConversation().forEach((id, messages) -> {
            ConversationState state = states.get(id);
            if (state == null) {
                verdict.violation(LOST, id + ": no state in the changelog");
                return;
            }
            int size = messages.size();
            if (state.getMessageCount() != size || !state.getInbox().isEmpty()) {
                verdict.violation(LOST, id + ": " + state.getMessageCount() + " messages, "
                        + state.getInbox().size() + " unanswered; expected " + size + ", 0");
                return;
            }
            // Turns may have answered several messages together: the history names every message, in order. A human
            // agent's follow-up answered none.
            List<String> history = state.getHistory().stream()
                    .filter(turn -> !turn.getUserText().isEmpty() || !turn.getAnsweredMessageIds().isEmpty())
                    .flatMap(turn -> turn.getAnsweredMessageIds().isEmpty()
                    ? java.util.stream.Stream.of(turn.getMessageId()) : turn.getAnsweredMessageIds().stream())
                    .toList();
            int turns = state.getHistory().size();
            if (state.getTurnCount() < turns || (historyWindow >= size && history.size() != size)) {
                verdict.violation(LOST, id + ": " + state.getTurnCount() + " turns holding " + history.size()
                        + " messages; expected all " + size);
                return;
            }
            List<String> expected = messages.subList(size - history.size(), size).stream()
                    .map(PlannedMessage::messageId).toList();
            if (!history.equals(expected)) {
                verdict.violation(LOST, id + ": history " + history + ", expected " + expected);
            }
        });
        verdict.figure("conversations in the changelog", states.size());
    }
}
