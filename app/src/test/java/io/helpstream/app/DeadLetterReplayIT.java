package io.helpstream.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import io.helpstream.admin.DeadLetter;
import io.helpstream.admin.DeadLetterReplayer;
import io.helpstream.admin.DeadLetterSelection;
import io.helpstream.admin.DeadLetterTopic;
import io.helpstream.agent.offline.OfflineChatModel;
import io.helpstream.client.GatewayClient;
import io.helpstream.config.HelpstreamConfig;
import io.helpstream.contract.Replies;
import io.helpstream.contract.Topics;
import io.helpstream.conversation.ControlTopic;
import io.helpstream.protection.ValueCipher;
import io.helpstream.schema.AgentReply;
import io.helpstream.schema.CustomerMessage;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code dlq replay} after a fix: a message answered with the apology (its model was broken) is replayed from the
 * dead-letter topic and answered once, even though a run of the replay crashed before it; a second replay does
 * nothing.
 */
class DeadLetterReplayIT {

    @RegisterExtension
    static final RunningHelpstream HELPSTREAM = new RunningHelpstream();

    private static final AtomicBoolean FIXED = new AtomicBoolean();

    /** Broken for "broken" messages until fixed; the offline model otherwise. */
    private static final ChatModel MODEL = new ChatModel() {
        private final OfflineChatModel offline = new OfflineChatModel();

        @Override
        public ChatResponse doChat(ChatRequest request) {
            if (!FIXED.get() && lastUserText(request.messages()).contains("broken")) {
                throw new IllegalStateException("the model is broken");
            }
            return offline.doChat(request);
        }
    };

    @Test
    void should_answer_a_replayed_dead_letter_once_across_a_crashed_run_and_a_second_run() {
        Deployment deployment = HELPSTREAM.deployment(Map.of("HELPSTREAM_MAX_TURN_ATTEMPTS", "1"));
        Application app = deployment.start(MODEL);
        HelpstreamConfig config = deployment.config();
        String conversation = "replay-" + UUID.randomUUID();
        CustomerMessage message;
        try (GatewayClient gateway = new GatewayClient(app.bootstrapServers(), deployment.topics())) {
            message = gateway.send(conversation, SeedScenarios.EMAIL, "broken: what's your return policy?");
            AgentReply apology = gateway.awaitReply(message.getMessageId(), Duration.ofSeconds(60));
            assertThat(apology.getDegraded()).isTrue();
            gateway.sendRaw(conversation.getBytes(StandardCharsets.UTF_8),
                    "not a message".getBytes(StandardCharsets.UTF_8));
        }
        DeadLetterTopic topic = new DeadLetterTopic(app.bootstrapServers(), config);
        List<DeadLetter> deadLetters = awaitDeadLetters(topic, 2);
        DeadLetter failed = deadLetters.stream().filter(d -> d.reason().equals("TURN_FAILED")).findFirst()
                .orElseThrow();
        assertThat(failed.notReplayable(ValueCipher.none())).isEmpty();
        assertThat(deadLetters).filteredOn(d -> d.reason().equals("UNREADABLE_RECORD")).singleElement()
                .satisfies(garbage -> assertThat(garbage.notReplayable(ValueCipher.none())).isPresent());

        FIXED.set(true);
        DeadLetterReplayer replayer = new DeadLetterReplayer(app.bootstrapServers(), config, Clock.systemUTC());
        DeadLetterSelection turnFailures = new DeadLetterSelection(Set.of("turn_failed"), Optional.empty(),
                Optional.empty(), Set.of());
        DeadLetterReplayer.Result first;
        try (KafkaProducer<String, byte[]> crashed = crashedRun(app.bootstrapServers(), config, failed, message)) {
            first = replayer.replay(turnFailures, false);
        }

        assertThat(first.replayed()).extracting(DeadLetter::coordinates).containsExactly(failed.coordinates());
        AgentReply answer = awaitAnswer(app, deployment, message.getMessageId());
        assertThat(answer.getText()).contains(SeedScenarios.RETURN_POLICY);

        DeadLetterReplayer.Result second = replayer.replay(DeadLetterSelection.all(), false);
        assertThat(second.replayed()).isEmpty();
        assertThat(second.skipped()).containsKey(failed.coordinates());
        assertThat(second.skipped().get(failed.coordinates())).startsWith("replayed before");
        assertThat(topic.replayed()).containsOnlyKeys(failed.coordinates());

        List<AgentReply> replies = CommittedRecords.read(app.bootstrapServers(), deployment.topics().agentReplies()
                .name(), Topics.AGENT_REPLY).stream().map(CommittedRecords.KeyedValue::value)
                .filter(reply -> Replies.answered(reply).contains(message.getMessageId())).toList();
        assertThat(replies).as("the apology, then one answer").hasSize(2);
        assertThat(replies).filteredOn(reply -> !reply.getDegraded()).hasSize(1);
        assertThat(app.registry().get("helpstream.dead.letters.replayed").tag("result", "accepted").counter()
                .count()).as("replays the task accepted: the crashed run's was never committed").isEqualTo(1);
    }

    /** A run that wrote its replay and crashed before committing: the next run's start aborts it. */
    private static KafkaProducer<String, byte[]> crashedRun(String bootstrap, HelpstreamConfig config,
                                                            DeadLetter deadLetter, CustomerMessage message) {
        KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.TRANSACTIONAL_ID_CONFIG, DeadLetterReplayer.transactionalId(config)),
                new StringSerializer(), new ByteArraySerializer());
        producer.initTransactions();
        producer.beginTransaction();
        producer.send(ControlTopic.of(config.streams().applicationId()).replay(null, message.getConversationId(),
                Topics.CUSTOMER_MESSAGE.encode(message), deadLetter.coordinates()));
        producer.flush();
        // No commit, and no close until the next run fenced it: the process died here.
        return producer;
    }

    private static List<DeadLetter> awaitDeadLetters(DeadLetterTopic topic, int count) {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        List<DeadLetter> found = topic.all();
        while (found.size() < count && System.nanoTime() < deadline) {
            sleep();
            found = topic.all();
        }
        assertThat(found).hasSize(count);
        return found;
    }

    private static AgentReply awaitAnswer(Application app, Deployment deployment, String messageId) {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            Optional<AgentReply> answer = CommittedRecords.read(app.bootstrapServers(),
                    deployment.topics().agentReplies().name(), Topics.AGENT_REPLY).stream()
                    .map(CommittedRecords.KeyedValue::value)
                    .filter(reply -> Replies.answered(reply).contains(messageId) && !reply.getDegraded())
                    .findFirst();
            if (answer.isPresent()) {
                return answer.get();
            }
            sleep();
        }
        throw new AssertionError("the replayed message was not answered within 60 s");
    }

    private static void sleep() {
        try {
            Thread.sleep(300);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String lastUserText(List<ChatMessage> messages) {
        for (int i = messages.size() - 1; i >= 0; i--) {
            if (messages.get(i) instanceof UserMessage user && user.hasSingleText()) {
                return user.singleText();
            }
        }
        return "";
    }
}
