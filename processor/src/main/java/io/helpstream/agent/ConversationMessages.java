package io.helpstream.agent;

import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.ToolExecutionResultMessage;
import dev.langchain4j.data.message.UserMessage;
import io.helpstream.schema.ConversationState;
import io.helpstream.schema.CustomerBinding;
import io.helpstream.schema.HistoryTurn;
import io.helpstream.schema.ToolCallRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Turns the stored conversation into the messages the model sees before the new user message: the system prompt,
 * a session message (who the customer is, what was remembered), then the stored turns of the history (the
 * conversation keeps only its window of them).
 */
final class ConversationMessages {

    private ConversationMessages() {
    }

    static List<ChatMessage> build(String systemPrompt, ConversationState conversation) {
        List<ChatMessage> messages = new ArrayList<>();
        messages.add(SystemMessage.from(systemPrompt));
        messages.add(SystemMessage.from(sessionText(conversation)));
        for (HistoryTurn turn : conversation.getHistory()) {
            addTurn(messages, turn);
        }
        return messages;
    }

    /** Facts the model needs but the customer may not repeat, kept apart from the configurable prompt. */
    static String sessionText(ConversationState conversation) {
        StringBuilder text = new StringBuilder("Session context for conversation ")
                .append(conversation.getConversationId()).append(":\n");
        CustomerBinding customer = conversation.getCustomer();
        if (customer == null) {
            text.append("- The customer has not been identified yet; ask for their email address before acting "
                    + "on their account.\n");
        } else {
            text.append("- Customer email: ").append(customer.getEmail())
                    .append(customer.getVerified() ? " (verified by the chat gateway)" : " (given by the customer)")
                    .append('\n');
            if (customer.getName() != null) {
                text.append("- Customer name: ").append(customer.getName()).append('\n');
            }
            if (customer.getCustomerId() != null) {
                text.append("- Customer id: ").append(customer.getCustomerId()).append('\n');
            }
        }
        Map<String, String> context = conversation.getContext();
        if (!context.isEmpty()) {
            text.append("- Remembered context:");
            context.forEach((key, value) -> text.append(' ').append(key).append('=').append(value).append(';'));
            text.append('\n');
        }
        return text.toString().strip();
    }

    private static void addTurn(List<ChatMessage> messages, HistoryTurn turn) {
        messages.add(UserMessage.from(turn.getUserText()));
        List<ToolCallRecord> calls = turn.getToolCalls();
        if (!calls.isEmpty()) {
            // The rounds the calls were made in are not stored; one request message followed by every result
            // keeps each call next to its result, which is what the providers require.
            List<ToolExecutionRequest> requests = new ArrayList<>();
            List<ChatMessage> results = new ArrayList<>();
            for (int i = 0; i < calls.size(); i++) {
                ToolCallRecord call = calls.get(i);
                String id = call.getId() == null || call.getId().isBlank()
                        ? turn.getMessageId() + "-call-" + (i + 1)
                        : call.getId();
                requests.add(ToolExecutionRequest.builder()
                        .id(id).name(call.getName()).arguments(call.getArguments()).build());
                results.add(ToolExecutionResultMessage.from(id, call.getName(), call.getOutput()));
            }
            messages.add(AiMessage.from(requests));
            messages.addAll(results);
        }
        messages.add(AiMessage.from(turn.getReplyText()));
    }
}
