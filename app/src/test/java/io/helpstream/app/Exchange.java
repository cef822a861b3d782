package io.helpstream.app;

import io.helpstream.client.GatewayClient;
import io.helpstream.schema.AgentReply;
import io.helpstream.schema.CustomerMessage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** A customer message and the reply it got, as a chat gateway sees them. */
record Exchange(CustomerMessage sent, AgentReply reply) {

    static final Duration REPLY_TIMEOUT = Duration.ofSeconds(60);

    String messageId() {
        return sent.getMessageId();
    }

    String replyText() {
        return reply.getText();
    }

    /** Sends each text in turn, waiting for its reply before the next, as the seed's demo does. */
    static List<Exchange> play(GatewayClient gateway, String conversationId, String email, List<String> texts) {
        List<Exchange> exchanges = new ArrayList<>();
        for (String text : texts) {
            exchanges.add(say(gateway, conversationId, email, text));
        }
        return exchanges;
    }

    static Exchange say(GatewayClient gateway, String conversationId, String email, String text) {
        CustomerMessage sent = gateway.send(conversationId, email, text);
        return new Exchange(sent, gateway.awaitReply(sent.getMessageId(), REPLY_TIMEOUT));
    }
}
