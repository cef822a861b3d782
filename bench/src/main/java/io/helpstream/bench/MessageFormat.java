package io.helpstream.bench;

import io.helpstream.client.CustomerMessages;
import io.helpstream.contract.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;

/** How a design's input records are written and how its output records name the message they answer. */
interface MessageFormat {

    /** Size of the records of the comparison designs, and about that of helpstream's customer messages. */
    int RECORD_BYTES = 200;

    byte[] encode(String conversationId, String messageId, String email);

    /** The message id the output record answers, or null when it answers none. */
    String answeredMessageId(byte[] value);

    /** Raw 200-byte records whose value starts with the message id; the output is the input, passed through. */
    MessageFormat RAW = new MessageFormat() {
        @Override
        public byte[] encode(String conversationId, String messageId, String email) {
            byte[] value = new byte[RECORD_BYTES];
            Arrays.fill(value, (byte) '.');
            byte[] id = (messageId + "|").getBytes(StandardCharsets.US_ASCII);
            System.arraycopy(id, 0, value, 0, Math.min(id.length, value.length));
            return value;
        }

        @Override
        public String answeredMessageId(byte[] value) {
            for (int i = 0; i < value.length; i++) {
                if (value[i] == '|') {
                    return new String(value, 0, i, StandardCharsets.US_ASCII);
                }
            }
            return null;
        }
    };

    /** helpstream's own: {@code CustomerMessage} in, {@code AgentReply} out. */
    MessageFormat HELPSTREAM = new MessageFormat() {
        @Override
        public byte[] encode(String conversationId, String messageId, String email) {
            String text = "Hi, this is " + email + ". Where is my order? It was due yesterday and I need it for "
                    + "a trip on Friday.";
            return Topics.CUSTOMER_MESSAGE.encode(CustomerMessages.withId(messageId, conversationId, email, text,
                    Instant.now()));
        }

        @Override
        public String answeredMessageId(byte[] value) {
            return Topics.AGENT_REPLY.decode(value).getInReplyTo();
        }
    };
}
