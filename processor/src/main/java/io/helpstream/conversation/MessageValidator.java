package io.helpstream.conversation;

import io.helpstream.contract.SafeText;
import io.helpstream.conversation.InvalidMessageException.Reason;
import io.helpstream.schema.CustomerMessage;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/** Checks a customer message before it may enter a conversation; a bad one raises {@link InvalidMessageException}. */
final class MessageValidator {

    private static final Pattern EMAIL = Pattern.compile("^[^@\\s]{1,64}@[^@\\s.]+(\\.[^@\\s.]+)+$");
    private static final int MAX_ID_CHARS = 200;

    private final MessageLimits limits;

    MessageValidator(MessageLimits limits) {
        this.limits = Objects.requireNonNull(limits, "limits");
    }

    /**
     * The message as helpstream keeps it: its text and channel {@link SafeText#clean cleaned} of escape sequences,
     * control characters and bidi controls; throws when it cannot be answered.
     */
    CustomerMessage validate(String key, CustomerMessage message) {
        if (key == null || key.isBlank()) {
            throw new InvalidMessageException(Reason.EMPTY_KEY, "the record key (conversation id) is null or empty");
        }
        if (message == null) {
            throw new InvalidMessageException(Reason.MISSING_VALUE, "the record has no value");
        }
        if (message.getText() != null && !SafeText.isClean(message.getText())
                || message.getChannel() != null && !SafeText.isClean(message.getChannel())) {
            message = CustomerMessage.newBuilder(message).setText(SafeText.clean(message.getText()))
                    .setChannel(SafeText.clean(message.getChannel())).build();
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
        if (!SafeText.isClean(message.getMessageId()) || !SafeText.isClean(key)
                || message.getMessageId().chars().anyMatch(Character::isWhitespace)
                || key.chars().anyMatch(c -> c < 0x20)) {
            throw new InvalidMessageException(Reason.INVALID_ID, "ids must not contain control characters, line "
                    + "breaks, escape sequences or bidi controls (nor a message id whitespace)");
        }
        if (!key.equals(message.getConversationId())) {
            throw new InvalidMessageException(Reason.KEY_MISMATCH, "key '" + key
                    + "' differs from conversationId '" + message.getConversationId() + "'");
        }
        int textBytes = utf8Bytes(message.getText());
        if (textBytes > limits.maxTextBytes()) {
            throw new InvalidMessageException(Reason.TEXT_TOO_LONG, "text has " + textBytes
                    + " bytes (UTF-8), the maximum is " + limits.maxTextBytes());
        }
        int channelBytes = utf8Bytes(message.getChannel());
        if (channelBytes > limits.maxChannelBytes()) {
            throw new InvalidMessageException(Reason.CHANNEL_TOO_LONG, "channel has " + channelBytes
                    + " bytes (UTF-8), the maximum is " + limits.maxChannelBytes());
        }
        checkMetadata(message.getMetadata());
        String email = message.getCustomerEmail();
        if (email != null && (email.length() > 254 || !EMAIL.matcher(email).matches())) {
            throw new InvalidMessageException(Reason.INVALID_EMAIL, "customerEmail is not an email address");
        }
        return message;
    }

    private void checkMetadata(Map<String, String> metadata) {
        if (metadata.size() > limits.maxMetadataEntries()) {
            throw new InvalidMessageException(Reason.METADATA_TOO_LARGE, "metadata has " + metadata.size()
                    + " entries, the maximum is " + limits.maxMetadataEntries());
        }
        long bytes = 0;
        for (Map.Entry<String, String> entry : metadata.entrySet()) {
            bytes += utf8Bytes(entry.getKey()) + (entry.getValue() == null ? 0 : utf8Bytes(entry.getValue()));
        }
        if (bytes > limits.maxMetadataBytes()) {
            throw new InvalidMessageException(Reason.METADATA_TOO_LARGE, "metadata keys and values have " + bytes
                    + " bytes (UTF-8), the maximum is " + limits.maxMetadataBytes());
        }
    }

    /** Bytes as Avro writes the string (UTF-8). */
    private static int utf8Bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8).length;
    }

    private static void required(String field, String value) {
        if (value == null || value.isBlank()) {
            throw new InvalidMessageException(Reason.MISSING_FIELD, field + " is missing or empty");
        }
    }
}
