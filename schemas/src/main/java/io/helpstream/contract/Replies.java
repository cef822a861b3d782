package io.helpstream.contract;

import io.helpstream.schema.AgentReply;
import java.util.List;

/** How to read an {@link AgentReply}: the one rule every consumer of replies needs. */
public final class Replies {

    private Replies() {
    }

    /**
     * The ids of the messages a reply answers, oldest first: those it names in {@code answers} when the agent
     * answered several waiting messages together, else the one in {@code inReplyTo}.
     */
    public static List<String> answered(AgentReply reply) {
        return reply.getAnswers().isEmpty() ? List.of(reply.getInReplyTo()) : List.copyOf(reply.getAnswers());
    }
}
