package io.helpstream.conversation;

import io.helpstream.contract.SafeText;
import io.helpstream.conversation.InvalidMessageException.Reason;
import io.helpstream.schema.AgentAction;

/**
 * Checks that an agent action is well-formed before it reaches its conversation: a record without ids, or keyed by
 * another conversation than it names, raises {@link InvalidMessageException} and goes to the dead-letter topic with
 * the reason. Whether a well-formed action applies is its conversation's to say (an ACTION_REJECTED event).
 */
final class AgentActionValidator {

    private static final int MAX_ID_CHARS = 200;

    AgentAction validate(String key, AgentAction action) {
        if (key == null || key.isBlank()) {
            throw new InvalidMessageException(Reason.EMPTY_KEY, "the record key (conversation id) is null or empty");
        }
        if (action == null) {
            throw new InvalidMessageException(Reason.MISSING_VALUE, "the record has no value");
        }
        required("actionId", action.getActionId());
        required("agentId", action.getAgentId());
        required("conversationId", action.getConversationId());
        for (String id : new String[] {action.getActionId(), action.getAgentId(), key}) {
            if (id.length() > MAX_ID_CHARS || !SafeText.isClean(id) || id.chars().anyMatch(c -> c < 0x20)) {
                throw new InvalidMessageException(Reason.INVALID_ID, "ids are limited to " + MAX_ID_CHARS
                        + " characters without control characters, escape sequences or bidi controls");
            }
        }
        if (!key.equals(action.getConversationId())) {
            throw new InvalidMessageException(Reason.KEY_MISMATCH, "key '" + key + "' differs from conversationId '"
                    + action.getConversationId() + "'");
        }
        return action;
    }

    private static void required(String field, String value) {
        if (value == null || value.isBlank()) {
            throw new InvalidMessageException(Reason.MISSING_FIELD, field + " is missing or empty");
        }
    }
}
