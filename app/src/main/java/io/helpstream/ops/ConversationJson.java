package io.helpstream.ops;

import io.helpstream.schema.ConversationState;
import io.helpstream.schema.CustomerBinding;
import io.helpstream.schema.CustomerMessage;
import io.helpstream.schema.HistoryTurn;
import io.helpstream.schema.ToolCallRecord;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** A conversation's state as the conversation endpoint shows it. */
record ConversationJson(String conversationId, Customer customer, Instant createdAt, Instant lastActivityAt,
                        int messageCount, int turnCount, Map<String, String> context, List<Turn> history,
                        List<Pending> pending) {

    /**
     * Who the conversation is bound to, and how far that is trusted: {@code verified} when the gateway asserted the
     * email or the customer proved it with a one-time code, {@code claimed} when the customer typed it and has not.
     */
    record Customer(String email, String customerId, String name, String trust) {
    }

    /** A turn of the history window. */
    record Turn(String messageId, List<String> answeredMessageIds, Instant receivedAt, String userText,
                List<ToolCall> toolCalls, String replyText, Instant repliedAt) {
    }

    record ToolCall(String name, String arguments, String output) {
    }

    /** A message accepted and not answered yet. */
    record Pending(String messageId, String channel, Instant sentAt, Instant receivedAt, String text) {
    }

    static ConversationJson of(ConversationState state) {
        CustomerBinding binding = state.getCustomer();
        Customer customer = binding == null ? null : new Customer(binding.getEmail(), binding.getCustomerId(),
                binding.getName(), binding.getVerified() ? "verified" : "claimed");
        List<Turn> history = state.getHistory().stream().map(ConversationJson::turn).toList();
        List<Pending> pending = new ArrayList<>();
        for (int i = 0; i < state.getInbox().size(); i++) {
            CustomerMessage message = state.getInbox().get(i);
            pending.add(new Pending(message.getMessageId(), message.getChannel(), message.getSentAt(),
                    Instant.ofEpochMilli(state.getInboxReceivedAt().get(i)), message.getText()));
        }
        return new ConversationJson(state.getConversationId(), customer, state.getCreatedAt(),
                state.getLastActivityAt(), state.getMessageCount(), state.getTurnCount(),
                new TreeMap<>(state.getContext()), history, pending);
    }

    private static Turn turn(HistoryTurn turn) {
        return new Turn(turn.getMessageId(), turn.getAnsweredMessageIds(), turn.getReceivedAt(), turn.getUserText(),
                turn.getToolCalls().stream().map(ConversationJson::toolCall).toList(), turn.getReplyText(),
                turn.getRepliedAt());
    }

    private static ToolCall toolCall(ToolCallRecord call) {
        return new ToolCall(call.getName(), call.getArguments(), call.getOutput());
    }
}
