package io.helpstream.agent;

import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.ToolExecutionResultMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import io.helpstream.tools.ToolNames;
import io.helpstream.tools.ToolResult.TicketCreated;
import io.helpstream.tools.ToolResults;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A model that opens a ticket for every message, in three steps (look the customer up, create the ticket, tell the
 * customer its id), and that decides differently when asked the same thing again, as a real model at a temperature
 * above 0 does: the second time it is asked to create the ticket it picks another subject and priority. It counts
 * every call, and can be told to die (throw) at a given call, as the process around it would.
 */
final class FickleModel implements ChatModel {

    static final String FIRST_SUBJECT = "Printer broken";
    static final String SECOND_SUBJECT = "Printer jammed";
    private static final Pattern EMAIL = Pattern.compile("[\\w.]+@[\\w.]+\\w");

    /** What it was asked before, shared by every process that asks it: the model is one service. */
    private final Map<String, AtomicInteger> asked;
    private final AtomicInteger calls = new AtomicInteger();
    private volatile int dieAt = -1;

    FickleModel(Map<String, AtomicInteger> asked) {
        this.asked = asked;
    }

    static Map<String, AtomicInteger> memory() {
        return new ConcurrentHashMap<>();
    }

    /** Throws on the {@code call}-th call (from 1), as a process dying there would end the turn. */
    FickleModel dieAt(int call) {
        this.dieAt = call;
        return this;
    }

    int calls() {
        return calls.get();
    }

    @Override
    public ChatResponse doChat(ChatRequest request) {
        if (calls.incrementAndGet() == dieAt) {
            throw new IllegalStateException("the process died");
        }
        List<ChatMessage> messages = request.messages();
        String user = "";
        int results = 0;
        String lastResult = null;
        for (ChatMessage message : messages) {
            if (message instanceof UserMessage text && text.hasSingleText()) {
                user = text.singleText();
                results = 0;
            } else if (message instanceof ToolExecutionResultMessage result) {
                results++;
                lastResult = result.text();
            }
        }
        AiMessage answer;
        if (results == 0) {
            Matcher email = EMAIL.matcher(user);
            answer = call("call-1", ToolNames.LOOKUP_CUSTOMER, "{\"email\":\"" + (email.find() ? email.group()
                    : "john@example.com") + "\"}");
        } else if (results == 1) {
            boolean again = asked.computeIfAbsent(user, key -> new AtomicInteger()).incrementAndGet() > 1;
            answer = call("call-2", ToolNames.CREATE_TICKET, "{\"subject\":\"" + (again ? SECOND_SUBJECT
                    : FIRST_SUBJECT) + "\",\"description\":\"" + user + "\",\"priority\":\"" + (again ? "high"
                    : "medium") + "\"}");
        } else {
            answer = AiMessage.from(ToolResults.read(lastResult, TicketCreated.class)
                    .map(created -> "I opened ticket " + created.ticketId() + " for you.")
                    .orElse("I could not open a ticket just now, sorry."));
        }
        return ChatResponse.builder().aiMessage(answer).modelName("fickle").build();
    }

    private static AiMessage call(String id, String tool, String arguments) {
        return AiMessage.from(ToolExecutionRequest.builder().id(id).name(tool).arguments(arguments).build());
    }
}
