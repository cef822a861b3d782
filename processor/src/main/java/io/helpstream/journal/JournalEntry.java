package io.helpstream.journal;

import java.util.Objects;

/**
 * One recorded step of a turn: the model's response, or one tool call's result.
 *
 * @param conversationId the conversation
 * @param messageId      the first message the turn answers, which names the turn
 * @param step           from 1, in the order the turn took its steps
 * @param kind           what was recorded
 * @param payload        the step as the agent encodes it (JSON)
 */
public record JournalEntry(String conversationId, String messageId, int step, Kind kind, String payload) {

    /** What a step records. */
    public enum Kind {
        /** A response of the model: an answer or tool calls. */
        MODEL,
        /** The result of one tool call, with what it changed in the turn. */
        TOOL
    }

    public JournalEntry {
        Objects.requireNonNull(conversationId, "conversationId");
        Objects.requireNonNull(messageId, "messageId");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(payload, "payload");
        if (step < 1) {
            throw new IllegalArgumentException("step must be >= 1, was " + step);
        }
    }
}
