package io.helpstream.app;

import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.ToolExecutionResultMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A chat model that takes its time, like a remote one: each call waits between {@code min} and {@code max} before
 * the delegate answers. Once told to {@linkplain #holdAfter hold after} a tool, a call that comes right after that
 * tool ran does not return until its thread is interrupted, so a test can stop the application at the worst moment:
 * the tool's write is done and the turn's reply is not yet published.
 */
final class SlowChatModel implements ChatModel {

    /** Longest hold, should nobody interrupt it. */
    private static final Duration MAX_HOLD = Duration.ofMinutes(2);

    private final ChatModel delegate;
    private final long minMillis;
    private final long maxMillis;
    private final Set<String> held = ConcurrentHashMap.newKeySet();
    private volatile String holdAfterTool;

    SlowChatModel(ChatModel delegate, Duration min, Duration max) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
        this.minMillis = min.toMillis();
        this.maxMillis = max.toMillis();
        if (minMillis < 0 || maxMillis < minMillis) {
            throw new IllegalArgumentException("need 0 <= min <= max, got " + min + " and " + max);
        }
    }

    @Override
    public ChatResponse doChat(ChatRequest request) {
        List<ChatMessage> messages = request.messages();
        String tool = holdAfterTool;
        if (tool != null && messages.get(messages.size() - 1) instanceof ToolExecutionResultMessage result
                && result.toolName().equals(tool)) {
            held.add(userText(messages));
            sleep(MAX_HOLD.toMillis());
        } else {
            sleep(ThreadLocalRandom.current().nextLong(minMillis, maxMillis + 1));
        }
        return delegate.chat(request);
    }

    /** From now on, calls right after {@code toolName} ran wait until interrupted. */
    void holdAfter(String toolName) {
        holdAfterTool = Objects.requireNonNull(toolName, "toolName");
    }

    /** The customer messages of the turns held so far. */
    Set<String> held() {
        return Set.copyOf(held);
    }

    private static String userText(List<ChatMessage> messages) {
        for (int i = messages.size() - 1; i >= 0; i--) {
            if (messages.get(i) instanceof UserMessage user && user.hasSingleText()) {
                return user.singleText();
            }
        }
        return "";
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while the model was thinking", e);
        }
    }
}
