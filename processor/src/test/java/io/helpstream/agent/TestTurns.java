package io.helpstream.agent;

import io.helpstream.schema.ConversationState;
import io.helpstream.schema.CustomerBinding;
import io.helpstream.schema.CustomerMessage;
import io.helpstream.tools.TurnContext;
import io.helpstream.turn.TurnOutcome;
import io.helpstream.turn.TurnRequest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Map;

/** Builds conversations, turn requests and turn contexts for tests. */
public final class TestTurns {

    public static final Instant START = Instant.parse("2024-06-01T10:00:00Z");

    private TestTurns() {
    }

    public static ConversationState conversation(String conversationId, CustomerBinding customer) {
        return ConversationState.newBuilder()
                .setConversationId(conversationId)
                .setCustomer(customer)
                .setCreatedAt(START)
                .setLastActivityAt(START)
                .setHistory(new ArrayList<>())
                .setContext(new HashMap<>())
                .build();
    }

    public static CustomerBinding verified(String email) {
        return new CustomerBinding(email, null, null, true);
    }

    public static TurnRequest request(ConversationState conversation, String messageId, String text) {
        CustomerMessage message = CustomerMessage.newBuilder()
                .setMessageId(messageId)
                .setConversationId(conversation.getConversationId())
                .setCustomerEmail(conversation.getCustomer() == null ? null : conversation.getCustomer().getEmail())
                .setChannel("web")
                .setText(text)
                .setSentAt(START)
                .setMetadata(Map.of())
                .build();
        return new TurnRequest(message, ConversationState.newBuilder(conversation).build(), 1);
    }

    public static TurnContext context(ConversationState conversation, String messageId, String text) {
        return TurnContext.of(request(conversation, messageId, text), TurnOutcome.builder());
    }

    /** What the tools added to a turn's outcome. */
    public static TurnOutcome outcome(TurnContext turn) {
        return turn.outcome().replyText("").build();
    }
}
