package io.helpstream.agent;

import io.helpstream.schema.ConversationState;
import io.helpstream.schema.CustomerBinding;
import io.helpstream.schema.HistoryTurn;
import io.helpstream.turn.Agent;
import io.helpstream.turn.TurnOutcome;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Plays a conversation against an agent the way the stream thread would: each outcome is applied to the stored
 * conversation (history, customer binding, context) before the next message.
 */
public final class ConversationDriver {

    private final Agent agent;
    private ConversationState state;
    private int messages;

    public ConversationDriver(Agent agent, String conversationId, CustomerBinding customer) {
        this.agent = agent;
        this.state = TestTurns.conversation(conversationId, customer);
    }

    public TurnOutcome say(String text) throws Exception {
        String messageId = state.getConversationId() + "-m" + (++messages);
        TurnOutcome outcome = agent.respond(TestTurns.request(state, messageId, text));
        List<HistoryTurn> history = new ArrayList<>(state.getHistory());
        history.add(new HistoryTurn(messageId, List.of(), text, TestTurns.START, outcome.toolCalls(), outcome.replyText(),
                TestTurns.START));
        Map<String, String> context = new HashMap<>(state.getContext());
        context.putAll(outcome.contextUpdates());
        state = ConversationState.newBuilder(state)
                .setHistory(history)
                .setContext(context)
                .setCustomer(outcome.customer() != null ? outcome.customer() : state.getCustomer())
                .build();
        return outcome;
    }

    public ConversationState state() {
        return state;
    }
}
