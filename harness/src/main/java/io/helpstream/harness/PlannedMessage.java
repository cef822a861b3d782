package io.helpstream.harness;

import java.util.Objects;

/**
 * One customer message of the crash test's workload.
 *
 * @param messageId      unique per run; also the gateway's message id
 * @param conversationId the conversation (and Kafka key)
 * @param index          position within the conversation, from 0
 * @param email          the gateway-asserted customer
 * @param text           what the customer writes; carries {@link #tag()} so its ticket, notes and reply can be found
 * @param kind           what the offline model does with it
 */
public record PlannedMessage(String messageId, String conversationId, int index, String email, String text,
                             Kind kind) {

    /** What a message makes the agent do. */
    public enum Kind {
        /** Opens a new ticket: exactly one ticket and one CREATED event are expected. */
        CREATE_TICKET,
        /** Escalates or closes one of the sample tickets: exactly one recorded write is expected. */
        UPDATE_TICKET,
        /** The conversation's last message: asks for a summary, whose message count proves the history survived. */
        SUMMARY,
        /** Greeting, FAQ, thanks: no write. */
        CHAT,
        /** Asks for a person: the conversation is handed off, and the harness's desk accepts it. */
        ASK_FOR_PERSON,
        /** Sent while a human has the conversation: a human agent's reply is expected to answer it. */
        TO_HUMAN
    }

    public PlannedMessage {
        Objects.requireNonNull(messageId, "messageId");
        Objects.requireNonNull(conversationId, "conversationId");
        Objects.requireNonNull(email, "email");
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(kind, "kind");
        if (index < 0) {
            throw new IllegalArgumentException("index must be >= 0, was " + index);
        }
    }

    /** The marker written into the text; the message id itself, which has no characters the model reacts to. */
    public String tag() {
        return messageId;
    }
}
