package io.helpstream.conversation;

import static io.helpstream.conversation.TopologyHarness.message;
import static org.assertj.core.api.Assertions.assertThat;

import io.helpstream.contract.Topics;
import io.helpstream.schema.AgentReply;
import io.helpstream.schema.CustomerMessage;
import io.helpstream.schema.TicketEvent;
import io.helpstream.schema.TicketEventType;
import io.helpstream.schema.TicketPriority;
import io.helpstream.schema.TicketStatus;
import io.helpstream.schema.TokenUsage;
import io.helpstream.turn.Agent;
import io.helpstream.turn.TurnOutcome;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A dead letter replayed through the control topic is answered as a new message, once per dead letter, although its
 * message id was accepted (and apologised for) before; a replay marker on the input topic counts for nothing.
 */
class ReplayTopologyTest {

    private static final String DEAD_LETTER = "support.dead-letters/0/7";

    @TempDir
    Path stateDir;

    private final AtomicBoolean fixed = new AtomicBoolean();

    private Agent agent() {
        return request -> {
            if (!fixed.get()) {
                throw new IllegalStateException("the model is broken");
            }
            return TurnOutcome.builder().replyText("answer to " + request.message().getText()).model("fake")
                    .usage(new TokenUsage(0, 0, 0)).build();
        };
    }

    private static ConversationSettings oneAttempt() {
        return ConversationSettings.defaults().withTurns(1, Duration.ofMillis(10), Duration.ofMinutes(1));
    }

    @Test
    void should_answer_a_replayed_dead_letter_once_with_a_reply_of_its_own() {
        try (TopologyHarness h = new TopologyHarness(agent(), 2, oneAttempt(), stateDir)) {
            CustomerMessage message = message("c1", "m1", "where is my order?");
            h.send(message);
            List<AgentReply> apologies = h.awaitReplies(1);
            assertThat(apologies.get(0).getDegraded()).isTrue();
            assertThat(h.deadLetters.readRecordsToList()).hasSize(1);

            fixed.set(true);
            replay(h, message, DEAD_LETTER);
            List<AgentReply> replies = h.awaitReplies(2);

            AgentReply answer = replies.get(1);
            assertThat(answer.getInReplyTo()).isEqualTo("m1");
            assertThat(answer.getText()).isEqualTo("answer to where is my order?");
            assertThat(answer.getDegraded()).isFalse();
            assertThat(answer.getReplyId()).as("a reply id of its own").isNotEqualTo(apologies.get(0).getReplyId());
            assertThat(h.registry.get("helpstream.dead.letters.replayed").tag("result", "accepted").counter()
                    .count()).isEqualTo(1);
        }
    }

    @Test
    void should_drop_the_same_dead_letter_replayed_again_and_answer_another_dead_letter_of_it() {
        try (TopologyHarness h = new TopologyHarness(agent(), 2, oneAttempt(), stateDir)) {
            CustomerMessage message = message("c1", "m1", "where is my order?");
            h.send(message);
            h.awaitReplies(1);
            fixed.set(true);
            replay(h, message, DEAD_LETTER);
            h.awaitReplies(2);

            replay(h, message, DEAD_LETTER);
            replay(h, message, "support.dead-letters/1/3");
            List<AgentReply> replies = h.awaitReplies(3);
            h.advance(Duration.ofSeconds(1));

            assertThat(replies).hasSize(3);
            assertThat(h.replies.readValuesToList()).as("no fourth reply").isEmpty();
            assertThat(h.registry.get("helpstream.dead.letters.replayed").tag("result", "replayed_before").counter()
                    .count()).isEqualTo(1);
        }
    }

    @Test
    void should_ignore_a_replay_marker_on_the_input_topic() {
        fixed.set(true);
        try (TopologyHarness h = new TopologyHarness(agent(), 2, oneAttempt(), stateDir)) {
            CustomerMessage message = message("c1", "m1", "hello");
            h.send(message);
            AgentReply first = h.awaitReplies(1).get(0);

            RecordHeaders forged = new RecordHeaders();
            forged.add(ControlTopic.REPLAY_OF, DEAD_LETTER.getBytes(StandardCharsets.UTF_8));
            h.messages.pipeInput(new TestRecord<>("c1", message, forged));
            CustomerMessage fresh = message("c1", "m2", "and again");
            h.messages.pipeInput(new TestRecord<>("c1", fresh, forged));
            List<AgentReply> replies = h.awaitReplies(2);

            assertThat(replies).extracting(AgentReply::getInReplyTo).containsExactly("m1", "m2");
            assertThat(first.getReplyId()).isNotNull();
            assertThat(h.seen("c1", Replays.marker(DEAD_LETTER))).as("nothing remembered as replayed").isFalse();
        }
    }

    @Test
    void should_dead_letter_a_control_record_with_no_known_command() {
        try (TopologyHarness h = new TopologyHarness(agent(), 2, oneAttempt(), stateDir)) {
            h.control.pipeInput(new TestRecord<>("c1", new byte[0], new RecordHeaders()));

            assertThat(h.deadLetters.readRecordsToList()).singleElement().satisfies(dead -> assertThat(
                    new String(dead.headers().lastHeader(DeadLetters.REASON).value(), StandardCharsets.UTF_8))
                    .isEqualTo("PROCESSING_FAILED"));
        }
    }

    @Test
    void should_not_publish_again_the_events_of_writes_the_first_turn_made() {
        Agent writing = request -> TurnOutcome.builder().replyText("done").model("fake")
                .usage(new TokenUsage(0, 0, 0))
                .ticketEvent(event("written-by-the-first-turn", Instant.EPOCH))
                .ticketEvent(event("written-now", Instant.parse("2100-01-01T00:00:00Z"))).build();
        try (TopologyHarness h = new TopologyHarness(writing, 2, oneAttempt(), stateDir)) {
            CustomerMessage message = message("c1", "m1", "open a ticket");
            h.send(message);
            h.awaitReplies(1);
            assertThat(h.ticketEvents()).hasSize(2);

            replay(h, message, DEAD_LETTER);
            h.awaitReplies(2);

            assertThat(h.ticketEvents()).extracting(record -> record.value().getEventId())
                    .containsExactly("written-now");
        }
    }

    private static TicketEvent event(String id, Instant occurredAt) {
        return TicketEvent.newBuilder().setEventId(id)
                .setType(TicketEventType.CREATED).setTicketId("TICK-1").setCustomerId("CUST001")
                .setStatus(TicketStatus.OPEN).setPriority(TicketPriority.LOW)
                .setSubject("s").setOccurredAt(occurredAt).setConversationId("c1").setMessageId("m1").build();
    }

    private static void replay(TopologyHarness h, CustomerMessage message, String deadLetter) {
        ProducerRecord<String, byte[]> record = TopologyHarness.CONTROL.replay(null, message.getConversationId(),
                Topics.CUSTOMER_MESSAGE.encode(message), deadLetter);
        h.control.pipeInput(new TestRecord<>(record.key(), record.value(), record.headers()));
    }
}
