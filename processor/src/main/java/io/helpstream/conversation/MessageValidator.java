package io.helpstream.conversation;

import io.helpstream.conversation.InvalidMessageException.Reason;
import io.helpstream.schema.CustomerMessage;
import java.util.regex.Pattern;

/** Checks a customer message before it may enter a conversation; a bad one raises {@link InvalidMessageException}. */
final class MessageValidator {

    private static final Pattern EMAIL = Pattern.compile("^[^@\\s]{1,64}@[^@\\s.]+(\\.[^@\\s.]+)+$");
    private static final int MAX_ID_CHARS = 200;

    private final int maxTextChars;

    MessageValidator(int maxTextChars) {
        this.maxTextChars = maxTextChars;
    }

    CustomerMessage validate(String key, CustomerMessage message) {
        if (key == null || key.isBlank()) {
            throw new InvalidMessageException(Reason.EMPTY_KEY, "the record key (conversation id) is null or empty");
        }
        if (message == null) {
            throw new InvalidMessageException(Reason.MISSING_VALUE, "the record has no value");
        }
        required("messageId", message.getMessageId());
        required("conversationId", message.getConversationId());
        required("channel", message.getChannel());
        required("text", message.getText());
        if (message.getMessageId().length() > MAX_ID_CHARS || key.length() > MAX_ID_CHARS) {
            throw new InvalidMessageException(Reason.INVALID_ID, "ids are limited to " + MAX_ID_CHARS
                    + " characters");
        }
        // The message id prefixes the idempotency keys of its writes ("<messageId>/<tool>/<n>").
        if (message.getMessageId().indexOf('/') >= 0) {
            throw new InvalidMessageException(Reason.INVALID_ID, "messageId must not contain '/'");
        }
        if (!key.equals(message.getConversationId())) {
            throw new InvalidMessageException(Reason.KEY_MISMATCH, "key '" + key
                    + "' differs from conversationId '" + message.getConversationId() + "'");
        }
        int length = message.getText().length();
        if (length > maxTextChars) {
            throw new InvalidMessageException(Reason.TEXT_TOO_LONG, "text has " + length
                    + " characters, the maximum is " + maxTextChars);
        }
        String email = message.getCustomerEmail();
        if (email != null && (email.length() > 254 || !EMAIL.matcher(email).matches())) {
            throw new InvalidMessageException(Reason.INVALID_EMAIL, "customerEmail is not an email address");
        }
        return message;
    }

    private static void required(String field, String value) {
        if (value == null || value.isBlank()) {
            throw new InvalidMessageException(Reason.MISSING_FIELD, field + " is missing or empty");
        }
    }
}
