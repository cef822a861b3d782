package io.helpstream.agent;

import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.function.IntFunction;
import java.util.stream.IntStream;

/** A chat model that answers with the given messages in turn, then with {@link #FINAL_ANSWER}. */
public final class ScriptedChatModel implements ChatModel {

    public static final String FINAL_ANSWER = "Done.";

    private final Deque<AiMessage> script;

    public ScriptedChatModel(AiMessage... responses) {
        this.script = new ArrayDeque<>(List.of(responses));
    }

    /** One response asking for {@code count} calls of one tool at once, the i-th with {@code arguments(i)}. */
    public static AiMessage parallelCalls(int count, String tool, IntFunction<String> arguments) {
        return AiMessage.from(IntStream.rangeClosed(1, count).mapToObj(i -> ToolExecutionRequest.builder()
                .id("call-" + i).name(tool).arguments(arguments.apply(i)).build()).toList());
    }

    @Override
    public synchronized ChatResponse doChat(ChatRequest request) {
        AiMessage next = script.isEmpty() ? AiMessage.from(FINAL_ANSWER) : script.poll();
        return ChatResponse.builder().aiMessage(next).modelName("scripted").build();
    }
}
