package io.helpstream.client;

import io.helpstream.schema.CustomerMessage;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/**
 * Customer messages as a chat gateway writes them: the one place that fills in what the gateway, not the customer,
 * decides (message id, channel, time sent, metadata).
 */
public final class CustomerMessages {

    /** The channel of every message sent through this client. */
    public static final String CHANNEL = "web";

    private CustomerMessages() {
    }

    /** A new message: a fresh random message id, sent now. */
    public static CustomerMessage of(String conversationId, String customerEmail, String text) {
        return withId(UUID.randomUUID().toString(), conversationId, customerEmail, text, Instant.now());
    }

    /** A message whose id and time the caller chose: a redelivery, or a workload whose ids must be known. */
    public static CustomerMessage withId(String messageId, String conversationId, String customerEmail, String text,
                                         Instant sentAt) {
        return CustomerMessage.newBuilder()
                .setMessageId(messageId)
                .setConversationId(conversationId)
                .setCustomerEmail(customerEmail)
                .setChannel(CHANNEL)
                .setText(text)
                .setSentAt(sentAt)
                .setMetadata(Map.of())
                .build();
    }
}
