package io.helpstream.agent;

import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import java.util.ArrayList;
import java.util.List;

/** Wraps a chat model and keeps every request it received and every response it gave. */
public final class CapturingChatModel implements ChatModel {

    private final ChatModel delegate;
    private final List<ChatRequest> requests = new ArrayList<>();
    private final List<ChatResponse> responses = new ArrayList<>();

    public CapturingChatModel(ChatModel delegate) {
        this.delegate = delegate;
    }

    @Override
    public synchronized ChatResponse doChat(ChatRequest request) {
        requests.add(request);
        ChatResponse response = delegate.chat(request);
        responses.add(response);
        return response;
    }

    public synchronized List<ChatRequest> requests() {
        return List.copyOf(requests);
    }

    public synchronized List<ChatResponse> responses() {
        return List.copyOf(responses);
    }
}
