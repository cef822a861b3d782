package io.helpstream.agent;

import dev.langchain4j.model.ModelProvider;
import dev.langchain4j.model.chat.Capability;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.ChatRequestOptions;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.request.ChatRequestParameters;
import dev.langchain4j.model.chat.response.ChatResponse;
import io.helpstream.journal.JournalEntry.Kind;
import io.helpstream.journal.RecordedTurn;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The model as a turn sees it: a step its journal recorded is replayed, and only a step never recorded reaches the
 * model, whose response is recorded before the turn acts on it. A request that belongs to no turn goes straight to
 * the model.
 */
final class JournaledChatModel implements ChatModel {

    private final ChatModel model;

    JournaledChatModel(ChatModel model) {
        this.model = Objects.requireNonNull(model, "model");
    }

    @Override
    public ChatResponse chat(ChatRequest request) {
        return chat(request, ChatRequestOptions.EMPTY);
    }

    @Override
    public ChatResponse chat(ChatRequest request, ChatRequestOptions options) {
        if (!(request instanceof TurnChatRequest step)) {
            return model.chat(request, options);
        }
        RecordedTurn turn = step.turn();
        Optional<ChatResponse> replayed = turn.replay(Kind.MODEL, entry -> JournalCodec.response(entry,
                turn.answers()).isPresent()).flatMap(entry -> JournalCodec.response(entry, turn.answers()));
        if (replayed.isPresent()) {
            return replayed.get();
        }
        ChatResponse response = model.chat(request, options);
        turn.record(Kind.MODEL, JournalCodec.model(response, turn.answers()));
        return response;
    }

    @Override
    public ChatResponse doChat(ChatRequest request) {
        return chat(request);
    }

    @Override
    public ChatRequestParameters defaultRequestParameters() {
        return model.defaultRequestParameters();
    }

    @Override
    public Set<Capability> supportedCapabilities() {
        return model.supportedCapabilities();
    }

    @Override
    public ModelProvider provider() {
        return model.provider();
    }
}
