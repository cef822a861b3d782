package io.helpstream.bench;

import io.helpstream.client.CustomerMessages;
import io.helpstream.contract.Topics;
import io.helpstream.schema.AgentReply;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;

/** How a design's input records are written and how its output records name the message they answer. */
interface MessageFormat {

    /** Size of the records of the comparison designs, and about that of helpstream's customer messages. */
    int RECORD_BYTES = 200;

    byte[] encode(String conversationId, String messageId, String email);

    /** The message ids the output record answers, oldest first; empty when it answers none. */
    List<String> answeredMessageIds(byte[] value);

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
        public List<String> answeredMessageIds(byte[] value) {
            for (int i = 0; i < value.length; i++) {
                if (value[i] == '|') {
                    return List.of(new String(value, 0, i, StandardCharsets.US_ASCII));
                }
            }
            return List.of();
        }
    };

    /**
     * helpstream's own: {@code CustomerMessage} in, {@code AgentReply} out. A reply to messages that waited while a
     * turn ran answers them all ({@code answers}); otherwise it answers {@code inReplyTo} alone.
     */
    MessageFormat HELPSTREAM = new MessageFormat() {
        @Override
        public byte[] encode(String conversationId, String messageId, String email) {
            String text = "Hi, this is " + email + ". Where is my order? It was due yesterday and I need it for "
                    + "a trip on Friday.";
            return Topics.CUSTOMER_MESSAGE.encode(CustomerMessages.withId(messageId, conversationId, email, text,
                    Instant.now()));
        }

        @Override
        public List<String> answeredMessageIds(byte[] value) {
            AgentReply reply = Topics.AGENT_REPLY.decode(value);
            return reply.getAnswers().isEmpty() ? List.of(reply.getInReplyTo()) : List.copyOf(reply.getAnswers());
        }
    };
}
