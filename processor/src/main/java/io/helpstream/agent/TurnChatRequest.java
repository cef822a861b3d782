package io.helpstream.agent;

import dev.langchain4j.model.chat.request.ChatRequest;
import io.helpstream.journal.RecordedTurn;
import java.util.Objects;

/**
 * A chat request that knows the run of the turn it belongs to. The AI service's request transformer, which knows the
 * turn by its memory id, wraps each request in one; {@link JournaledChatModel} reads it.
 */
final class TurnChatRequest extends ChatRequest {

    private final RecordedTurn turn;

    TurnChatRequest(ChatRequest request, RecordedTurn turn) {
        super(request.toBuilder());
        this.turn = Objects.requireNonNull(turn, "turn");
    }

    RecordedTurn turn() {
        return turn;
    }
}
