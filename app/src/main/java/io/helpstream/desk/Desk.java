package io.helpstream.desk;

import io.helpstream.config.PageSettings;
import io.helpstream.contract.Topics;
import io.helpstream.live.CommittedFeed;
import io.helpstream.live.TopicWriter;
import io.helpstream.schema.AgentAction;
import io.helpstream.schema.AgentActionType;
import io.helpstream.schema.HandoffEvent;
import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * The desk's link to Kafka: {@code support.handoffs} read from its beginning into the {@link HandoffView}, and the
 * agents' actions written to {@code support.agent-actions}, each under an id of its own.
 */
public final class Desk implements AutoCloseable {

    private final HandoffView view;
    private final CommittedFeed<HandoffEvent> feed;
    private final TopicWriter<AgentAction> actions;

    private Desk(HandoffView view, CommittedFeed<HandoffEvent> feed, TopicWriter<AgentAction> actions) {
        this.view = view;
        this.feed = feed;
        this.actions = actions;
    }

    public static Desk start(String bootstrapServers, Topics topics, PageSettings settings) {
        HandoffView view = new HandoffView(settings.deskMaxHandoffs(), settings.deskMaxTimeline());
        TopicWriter<AgentAction> actions = new TopicWriter<>(bootstrapServers, topics.agentActions(),
                settings.sendTimeout(), "helpstream-desk-actions");
        try {
            CommittedFeed<HandoffEvent> feed = CommittedFeed.start(bootstrapServers, topics.handoffs(),
                    CommittedFeed.From.BEGINNING, settings.sendTimeout(), "helpstream-desk-handoffs",
                    (key, event) -> view.apply(event));
            return new Desk(view, feed, actions);
        } catch (RuntimeException e) {
            actions.close();
            throw e;
        }
    }

    public HandoffView view() {
        return view;
    }

    /**
     * Writes one action of {@code agent} on a conversation, under a fresh action id, and returns it: the processor
     * answers the action (or its rejection) on {@code support.handoffs} with that id.
     *
     * @throws TopicWriter.NotWritten when the broker did not take it
     */
    public AgentAction act(DeskAgent agent, String conversationId, AgentActionType type, String text) {
        Objects.requireNonNull(agent, "agent");
        Objects.requireNonNull(conversationId, "conversationId");
        AgentAction action = AgentAction.newBuilder()
                .setActionId(UUID.randomUUID().toString())
                .setConversationId(conversationId)
                .setAgentId(agent.id())
                .setType(Objects.requireNonNull(type, "type"))
                .setText(text)
                .setSentAt(Instant.now())
                .build();
        actions.write(conversationId, action);
        return action;
    }

    @Override
    public void close() {
        feed.close();
        actions.close();
    }
}
