package io.helpstream.bench;

import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.ToolExecutionResultMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.output.FinishReason;
import dev.langchain4j.model.output.TokenUsage;
import io.helpstream.tools.ToolNames;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A chat model with a fixed script and a simulated latency, so that benchmarks measure helpstream rather than a
 * model. With look-ups on, a turn is two calls: the first asks for {@code lookupCustomer} with the email found in the
 * customer's message, the second (seeing the tool result) answers. Without, one call answers at once.
 */
final class ScriptedChatModel implements ChatModel {

    static final String MODEL_NAME = "bench-scripted";
    private static final Pattern EMAIL = Pattern.compile("[\\w.+-]+@[\\w.-]+\\.[a-z]{2,}");

    private final Duration latencyPerTurn;
    /** The longest of a latency drawn per call, uniformly from {@code latencyPerTurn} to this; equal: fixed. */
    private final Duration maxLatencyPerTurn;
    private final boolean lookup;
    private final AtomicInteger calls = new AtomicInteger();

    private ScriptedChatModel(Duration latencyPerTurn, Duration maxLatencyPerTurn, boolean lookup) {
        this.latencyPerTurn = Objects.requireNonNull(latencyPerTurn, "latencyPerTurn");
        this.maxLatencyPerTurn = Objects.requireNonNull(maxLatencyPerTurn, "maxLatencyPerTurn");
        if (maxLatencyPerTurn.compareTo(latencyPerTurn) < 0) {
            throw new IllegalArgumentException("max latency " + maxLatencyPerTurn + " < min " + latencyPerTurn);
        }
        this.lookup = lookup;
    }

    /** No latency; one {@code lookupCustomer} call per turn. */
    static ScriptedChatModel withLookup() {
        return new ScriptedChatModel(Duration.ZERO, Duration.ZERO, true);
    }

    /** Answers in one call that takes {@code latency}; no tools. */
    static ScriptedChatModel slow(Duration latency) {
        return new ScriptedChatModel(latency, latency, false);
    }

    /** Answers in one call that takes between {@code min} and {@code max}, uniformly at random; no tools. */
    static ScriptedChatModel slow(Duration min, Duration max) {
        return new ScriptedChatModel(min, max, false);
    }

    @Override
    public ChatResponse doChat(ChatRequest request) {
        pause();
        calls.incrementAndGet();
        List<ChatMessage> messages = request.messages();
        ChatMessage last = messages.get(messages.size() - 1);
        if (lookup && !(last instanceof ToolExecutionResultMessage)) {
            String email = emailIn(last);
            ToolExecutionRequest call = ToolExecutionRequest.builder().id("bench-call-1")
                    .name(ToolNames.LOOKUP_CUSTOMER).arguments("{\"email\":\"" + email + "\"}").build();
            return response(AiMessage.from(call), FinishReason.TOOL_EXECUTION);
        }
        return response(AiMessage.from("Thank you for your message; your order is on its way."), FinishReason.STOP);
    }

    /** Model calls answered so far. */
    int calls() {
        return calls.get();
    }

    /** Answers one message directly, as a model called inside {@code process()} would. */
    String answer(String text) {
        return chat(ChatRequest.builder().messages(UserMessage.from(text)).build()).aiMessage().text();
    }

    private void pause() {
        long millis = latencyPerTurn.toMillis();
        if (maxLatencyPerTurn.toMillis() > millis) {
            millis += ThreadLocalRandom.current().nextLong(maxLatencyPerTurn.toMillis() - millis + 1);
        }
        if (millis == 0) {
            return;
        }
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while simulating the model", e);
        }
    }

    private static String emailIn(ChatMessage message) {
        String text = message instanceof UserMessage user && user.hasSingleText() ? user.singleText() : "";
        Matcher matcher = EMAIL.matcher(text);
        if (!matcher.find()) {
            throw new IllegalStateException("the benchmark message carries no email: " + text);
        }
        return matcher.group();
    }

    private static ChatResponse response(AiMessage message, FinishReason reason) {
        return ChatResponse.builder().aiMessage(message).modelName(MODEL_NAME).tokenUsage(new TokenUsage(50, 10))
                .finishReason(reason).build();
    }
}
