package io.helpstream.agent;

import dev.langchain4j.model.ModelProvider;
import dev.langchain4j.model.chat.Capability;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.listener.ChatModelListener;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.request.ChatRequestParameters;
import dev.langchain4j.model.chat.response.ChatResponse;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A chat model observed by a {@link ChatModelListener} ({@link ModelObservation}), whatever the model: LangChain4j
 * calls a model's listeners around each of its calls, and this gives any model, the offline one and a test's
 * included, the same one. Calls go to the wrapped model as they are.
 */
final class ObservedChatModel implements ChatModel {

    private final ChatModel delegate;
    private final List<ChatModelListener> listeners;

    ObservedChatModel(ChatModel delegate, ChatModelListener listener) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
        this.listeners = List.of(Objects.requireNonNull(listener, "listener"));
    }

    @Override
    public ChatResponse doChat(ChatRequest request) {
        return delegate.chat(request);
    }

    @Override
    public List<ChatModelListener> listeners() {
        return listeners;
    }

    @Override
    public ChatRequestParameters defaultRequestParameters() {
        return delegate.defaultRequestParameters();
    }

    @Override
    public Set<Capability> supportedCapabilities() {
        return delegate.supportedCapabilities();
    }

    @Override
    public ModelProvider provider() {
        return delegate.provider();
    }
}
