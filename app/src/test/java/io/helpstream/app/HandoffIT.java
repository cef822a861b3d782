package io.helpstream.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.helpstream.app.CommittedRecords.KeyedValue;
import io.helpstream.client.ClientProperties;
import io.helpstream.client.GatewayClient;
import io.helpstream.contract.Topics;
import io.helpstream.schema.AgentAction;
import io.helpstream.schema.AgentActionType;
import io.helpstream.schema.AgentReply;
import io.helpstream.schema.ConversationMode;
import io.helpstream.schema.HandoffEvent;
import io.helpstream.schema.HandoffEventType;
import io.helpstream.schema.HandoffTrigger;
import io.helpstream.schema.ReplyAuthor;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Human handoff against the real broker, as a chat gateway and a desk see it: the customer asks for a person and the
 * conversation waits (REQUESTED), a human accepts and replies (the reply arrives on support.agent-replies with author
 * HUMAN), releases, and the bot answers the next message. Every record is read back {@code read_committed}.
 */
class HandoffIT {

    @RegisterExtension
    static final RunningHelpstream HELPSTREAM = new RunningHelpstream();

    private static Deployment deployment;
    private static Application app;
    private GatewayClient gateway;
    private KafkaProducer<String, byte[]> desk;

    @BeforeAll
    static void startHelpstream() {
        deployment = HELPSTREAM.deployment();
        app = deployment.start();
    }

    @BeforeEach
    void connect() {
        gateway = new GatewayClient(app.bootstrapServers(), deployment.topics());
        desk = new KafkaProducer<>(ClientProperties.gatewayProducer(app.bootstrapServers()), new StringSerializer(),
                new ByteArraySerializer());
    }

    @AfterEach
    void disconnect() {
        gateway.close();
        desk.close();
    }

    private String act(String conversation, String agent, AgentActionType type, String text) throws Exception {
        String actionId = "action-" + UUID.randomUUID();
        AgentAction action = AgentAction.newBuilder().setActionId(actionId).setConversationId(conversation)
                .setAgentId(agent).setType(type).setText(text).setSentAt(Instant.now()).build();
        try {
            desk.send(new ProducerRecord<>(deployment.topics().agentActions().name(), conversation,
                    Topics.AGENT_ACTION.encode(action))).get();
        } catch (ExecutionException e) {
            throw new IllegalStateException("could not send the action", e.getCause());
        }
        return actionId;
    }

    private List<HandoffEvent> handoffs(String conversation) {
        return CommittedRecords.read(app.bootstrapServers(), deployment.topics().handoffs().name(),
                        Topics.HANDOFF_EVENT).stream()
                .filter(record -> record.key().equals(conversation)).map(KeyedValue::value).toList();
    }

    @Test
    void should_hand_a_conversation_to_a_human_and_back_to_the_bot_exactly_once_each() throws Exception {
        String conversation = "handoff-" + UUID.randomUUID();
        Exchange asked = Exchange.say(gateway, conversation, null, "Can I talk to a real person please?");
        assertThat(asked.replyText()).contains("member of our support team");
        assertThat(handoffs(conversation)).singleElement().satisfies(event -> {
            assertThat(event.getType()).isEqualTo(HandoffEventType.REQUESTED);
            assertThat(event.getTrigger()).isEqualTo(HandoffTrigger.CUSTOMER_ASKED);
            assertThat(event.getMode()).isEqualTo(ConversationMode.WAITING_FOR_HUMAN);
        });

        String accept = act(conversation, "alice", AgentActionType.ACCEPT, null);
        gateway.awaitReply(accept, Exchange.REPLY_TIMEOUT);
        String reply = act(conversation, "alice", AgentActionType.REPLY, "Hi, I'm Alice. How can I help?");
        AgentReply human = gateway.awaitReply(reply, Exchange.REPLY_TIMEOUT);
        assertThat(human.getAuthor()).isEqualTo(ReplyAuthor.HUMAN);
        assertThat(human.getAgentId()).isEqualTo("alice");
        assertThat(human.getText()).isEqualTo("Hi, I'm Alice. How can I help?");

        gateway.awaitReply(act(conversation, "alice", AgentActionType.RELEASE, null), Exchange.REPLY_TIMEOUT);
        Exchange after = Exchange.say(gateway, conversation, null, "What's your return policy?");

        assertThat(after.reply().getAuthor()).isEqualTo(ReplyAuthor.BOT);
        assertThat(after.reply().getToolsUsed()).containsExactly("answerFaq");
        assertThat(handoffs(conversation)).extracting(HandoffEvent::getType).containsExactly(
                HandoffEventType.REQUESTED, HandoffEventType.ACCEPTED, HandoffEventType.HUMAN_REPLY,
                HandoffEventType.RELEASED);
        HandoffEvent accepted = handoffs(conversation).get(1);
        assertThat(accepted.getAt()).isAfterOrEqualTo(accepted.getRequestedAt());
        gateway.poll(Duration.ofMillis(500));
        assertThat(gateway.replies()).filteredOn(r -> r.getConversationId().equals(conversation))
                .extracting(AgentReply::getInReplyTo).doesNotHaveDuplicates();
    }
}
