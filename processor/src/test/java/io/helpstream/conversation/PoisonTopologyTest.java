package io.helpstream.conversation;

import static io.helpstream.conversation.TopologyHarness.message;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.helpstream.contract.ConversationStores;
import io.helpstream.contract.Topics;
import io.helpstream.schema.AgentReply;
import io.helpstream.schema.CustomerMessage;
import io.helpstream.schema.TicketEvent;
import io.helpstream.schema.TokenUsage;
import io.helpstream.turn.Agent;
import io.helpstream.turn.TurnOutcome;
import io.helpstream.turn.TurnRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A failure inside one conversation (a turn that hangs or throws an {@code Error}, an outcome too large or unwritable,
 * an unreadable stored state, an inbox that would outgrow a record) ends with an apology to that message and the
 * message on the dead-letter topic with the reason; other conversations, and the next message of the same one, go on.
 */
class PoisonTopologyTest {

    private static final String EXCEPTION = "__streams.errors.exception";
    private static final String REASON = "__streams.errors.message";

    @TempDir
    Path stateDir;
    private final CountDownLatch never = new CountDownLatch(1);

    @AfterEach
    void releaseHungTurns() {
        never.countDown();
    }

    private static TurnOutcome echo(TurnRequest request) {
        return TurnOutcome.builder().replyText("echo " + request.message().getText()).model("fake")
                .usage(new TokenUsage(1, 1, 2)).build();
    }

    /** Answers "hang" never, "overflow" with a StackOverflowError, everything else with an echo. */
    private Agent poisoned(String poison) {
        return request -> {
            if (!request.message().getText().equals(poison)) {
                return echo(request);
            }
            return switch (poison) {
                case "hang" -> {
                    never.await();
                    yield echo(request);
                }
                case "overflow" -> throw new StackOverflowError();
                case "huge" -> TurnOutcome.builder().replyText("x".repeat(20_000)).model("fake")
                        .usage(new TokenUsage(1, 1, 2)).build();
                case "unwritable" -> TurnOutcome.builder().replyText("ticket opened").model("fake")
                        .usage(new TokenUsage(1, 1, 2)).ticketEvent(new TicketEvent()).build();
                default -> throw new IllegalArgumentException(poison);
            };
        };
    }

    private static ConversationSettings settings() {
        return ConversationSettings.defaults().withTurns(2, Duration.ofMillis(10), Duration.ofMillis(200))
                .withMaxRecordBytes(10_000);
    }

    @Test
    void should_apologise_for_a_turn_that_never_returns_and_answer_the_next_message() {
        try (TopologyHarness h = new TopologyHarness(poisoned("hang"), 4, settings(), stateDir)) {
            h.send(message("c1", "m1", "hang"));
            h.send(message("c1", "m2", "then this"));
            h.send(message("c2", "m3", "meanwhile"));

            List<AgentReply> replies = h.awaitReplies(3);

            assertThat(replies).filteredOn(r -> r.getConversationId().equals("c1"))
                    .extracting(AgentReply::getInReplyTo, AgentReply::getText, AgentReply::getDegraded)
                    .containsExactly(tuple("m1", ConversationProcessor.APOLOGY, true),
                            tuple("m2", "echo then this", false));
            assertThat(replies).extracting(AgentReply::getInReplyTo).contains("m3");
            assertDeadLettered(h, message("c1", "m1", "hang"), "deadline");
        }
    }

    @Test
    void should_apologise_for_a_turn_that_overflows_its_stack_and_answer_the_next_message() {
        try (TopologyHarness h = new TopologyHarness(poisoned("overflow"), 2, settings(), stateDir)) {
            h.send(message("c1", "m1", "overflow"));
            h.send(message("c1", "m2", "then this"));

            List<AgentReply> replies = h.awaitReplies(2);

            assertThat(replies).extracting(AgentReply::getInReplyTo, AgentReply::getText).containsExactly(
                    tuple("m1", ConversationProcessor.APOLOGY),
                    tuple("m2", "echo then this"));
            assertDeadLettered(h, message("c1", "m1", "overflow"), "StackOverflowError");
        }
    }

    @Test
    void should_take_a_turn_that_never_reported_back_for_lost_and_answer_the_conversation() {
        // The executor's own deadline is far away: only the processor's lost-turn check can end this turn.
        ConversationSettings settings = settings().withTurns(1, Duration.ofMillis(10), Duration.ofSeconds(1));
        try (TopologyHarness h = new TopologyHarness(poisoned("hang"), 4, settings, stateDir,
                StoreSuppliers.persistent(settings.dedupRetention()), Duration.ofHours(1))) {
            h.send(message("c1", "m1", "hang"));
            h.send(message("c1", "m2", "then this"));
            h.advance(settings.expiryScanInterval());

            List<AgentReply> replies = h.awaitReplies(2);

            assertThat(replies).extracting(AgentReply::getInReplyTo, AgentReply::getText).containsExactly(
                    tuple("m1", ConversationProcessor.APOLOGY),
                    tuple("m2", "echo then this"));
        }
    }

    @Test
    void should_apologise_for_an_outcome_too_large_to_write_and_dead_letter_its_message() {
        try (TopologyHarness h = new TopologyHarness(poisoned("huge"), 2, settings(), stateDir)) {
            h.send(message("c1", "m1", "huge"));
            h.send(message("c1", "m2", "then this"));
            h.send(message("c2", "m3", "meanwhile"));

            List<AgentReply> replies = h.awaitReplies(3);

            assertThat(replies).filteredOn(r -> r.getConversationId().equals("c1"))
                    .extracting(AgentReply::getInReplyTo, AgentReply::getText).containsExactly(
                            tuple("m1", ConversationProcessor.APOLOGY),
                            tuple("m2", "echo then this"));
            assertDeadLettered(h, message("c1", "m1", "huge"), "larger than");
            assertThat(h.state("c1").getHistory()).extracting(turn -> turn.getReplyText())
                    .containsExactly(ConversationProcessor.APOLOGY, "echo then this");
        }
    }

    @Test
    void should_apologise_for_an_outcome_that_cannot_be_serialised_and_publish_none_of_it() {
        try (TopologyHarness h = new TopologyHarness(poisoned("unwritable"), 2, settings(), stateDir)) {
            h.send(message("c1", "m1", "unwritable"));
            h.send(message("c1", "m2", "then this"));

            List<AgentReply> replies = h.awaitReplies(2);

            assertThat(replies).extracting(AgentReply::getText)
                    .containsExactly(ConversationProcessor.APOLOGY, "echo then this");
            assertThat(h.ticketEvents()).isEmpty();
            assertDeadLettered(h, message("c1", "m1", "unwritable"), "cannot write TicketEvent");
        }
    }

    @Test
    void should_dead_letter_an_unreadable_conversation_record_and_answer_its_next_message_afresh() {
        byte[] garbage = "not a conversation".getBytes(StandardCharsets.UTF_8);
        StoreSuppliers restored = RestoredStores.empty().meta("c1", garbage)
                .suppliers(ConversationSettings.DEFAULT_DEDUP_RETENTION);
        try (TopologyHarness h = new TopologyHarness(PoisonTopologyTest::echo, 2, settings(), stateDir, restored)) {
            h.send(message("c1", "m1", "hello"));
            h.send(message("c2", "m2", "meanwhile"));
            h.send(message("c1", "m3", "again"));

            List<AgentReply> replies = h.awaitReplies(3);

            assertThat(replies).extracting(AgentReply::getInReplyTo, AgentReply::getText).containsExactlyInAnyOrder(
                    tuple("m1", "echo hello"),
                    tuple("m2", "echo meanwhile"),
                    tuple("m3", "echo again"));
            List<TestRecord<byte[], byte[]>> dead = h.deadLetters.readRecordsToList();
            assertThat(dead).singleElement().satisfies(record -> {
                assertThat(record.value()).isEqualTo(garbage);
                assertThat(header(record, REASON)).contains("unreadable conversation state");
                assertThat(header(record, DeadLetters.RECORD)).isEqualTo(ConversationStores.META);
            });
            assertThat(h.seen("c1", "m1")).isTrue();
            assertThat(h.seen("c1", "m3")).isTrue();
            assertThat(h.state("c1").getMessageCount()).isEqualTo(2);
        }
    }

    private static void assertDeadLettered(TopologyHarness h, CustomerMessage message, String reason) {
        assertThat(h.deadLetters.readRecordsToList()).singleElement().satisfies(record -> {
            assertThat(new String(record.key(), StandardCharsets.UTF_8)).isEqualTo(message.getConversationId());
            assertThat(Topics.CUSTOMER_MESSAGE.decode(record.value())).isEqualTo(message);
            assertThat(header(record, REASON)).contains(reason);
            assertThat(header(record, EXCEPTION)).isNotBlank();
        });
    }

    private static String header(TestRecord<byte[], byte[]> record, String name) {
        Header header = record.headers().lastHeader(name);
        assertThat(header).as("header %s", name).isNotNull();
        return new String(header.value(), StandardCharsets.UTF_8);
    }
}
