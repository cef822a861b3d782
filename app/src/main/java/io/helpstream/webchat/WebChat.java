package io.helpstream.webchat;

import io.helpstream.client.CustomerMessages;
import io.helpstream.config.PageSettings;
import io.helpstream.contract.Topics;
import io.helpstream.live.CommittedFeed;
import io.helpstream.live.Subscribers;
import io.helpstream.live.TopicWriter;
import io.helpstream.schema.AgentReply;
import io.helpstream.schema.CustomerMessage;
import java.util.Objects;
import java.util.Optional;

/**
 * The chat page's link to Kafka: messages written to the input topic as a gateway writes them (the conversation's
 * email asserted, channel {@code web}), and {@code support.agent-replies} followed from its end, each reply told to
 * the pages of its conversation.
 */
public final class WebChat implements AutoCloseable {

    private final ChatConversations conversations;
    private final TopicWriter<CustomerMessage> messages;
    private final CommittedFeed<AgentReply> feed;
    private final Subscribers<AgentReply> replies;

    private WebChat(ChatConversations conversations, TopicWriter<CustomerMessage> messages,
                    CommittedFeed<AgentReply> feed, Subscribers<AgentReply> replies) {
        this.conversations = conversations;
        this.messages = messages;
        this.feed = feed;
        this.replies = replies;
    }

    public static WebChat start(String bootstrapServers, Topics topics, PageSettings settings) {
        Subscribers<AgentReply> replies = new Subscribers<>();
        TopicWriter<CustomerMessage> messages = new TopicWriter<>(bootstrapServers, topics.customerMessages(),
                settings.sendTimeout(), "helpstream-chat-page");
        try {
            CommittedFeed<AgentReply> feed = CommittedFeed.start(bootstrapServers, topics.agentReplies(),
                    CommittedFeed.From.END, settings.sendTimeout(), "helpstream-chat-replies",
                    (key, reply) -> replies.tell(reply));
            return new WebChat(new ChatConversations(settings.chatMaxConversations()), messages, feed, replies);
        } catch (RuntimeException e) {
            messages.close();
            throw e;
        }
    }

    public ChatConversations conversations() {
        return conversations;
    }

    public Subscribers<AgentReply> replies() {
        return replies;
    }

    /**
     * Sends {@code text} to a conversation this page opened, with its email.
     *
     * @return the message sent; empty when the conversation is not (or no longer) known
     * @throws TopicWriter.NotWritten when the broker did not take it
     */
    public Optional<CustomerMessage> send(String conversationId, String text) {
        Objects.requireNonNull(text, "text");
        Optional<Optional<String>> email = conversations.email(conversationId);
        if (email.isEmpty()) {
            return Optional.empty();
        }
        CustomerMessage message = CustomerMessages.of(conversationId, email.get().orElse(null), text);
        messages.write(conversationId, message);
        return Optional.of(message);
    }

    @Override
    public void close() {
        feed.close();
        messages.close();
    }
}
