package io.helpstream.conversation;

import static io.helpstream.conversation.TopologyHarness.message;
import static org.assertj.core.api.Assertions.assertThat;

import io.helpstream.contract.Topics;
import io.helpstream.schema.AgentReply;
import io.helpstream.schema.CustomerMessage;
import io.helpstream.schema.HistoryTurn;
import io.helpstream.schema.PendingMessage;
import io.helpstream.schema.TokenUsage;
import io.helpstream.turn.Agent;
import io.helpstream.turn.TurnOutcome;
import io.helpstream.turn.TurnRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What waits in a conversation's inbox: messages that arrive while a turn runs are answered together by the next
 * turn, up to a number per turn; past the inbox's caps (count, bytes) a message gets a fixed reply and goes to the
 * dead-letter topic; an accepted message id is remembered for the retention time, whatever the count and whether
 * the conversation ended.
 */
class InboxTopologyTest {

    @TempDir
    Path stateDir;
    private final CountDownLatch release = new CountDownLatch(1);
    private final List<TurnRequest> started = new CopyOnWriteArrayList<>();

    @AfterEach
    void releaseTurns() {
        release.countDown();
    }

    /** Echoes; a turn whose first message is "hold" waits until the test releases it. */
    private Agent agent() {
        return request -> {
            started.add(request);
            if (request.message().getText().equals("hold")) {
                release.await();
            }
            return TurnOutcome.builder().replyText("echo " + request.userText()).model("fake")
                    .usage(new TokenUsage(1, 1, 2)).build();
        };
    }

    private static ConversationSettings inbox(int maxPending, long maxBytes, int perTurn) {
        return ConversationSettings.defaults().withInboxLimits(new InboxLimits(maxPending, maxBytes, perTurn));
    }

    @Test
    void should_answer_the_messages_that_waited_during_a_turn_together_in_one_reply_that_names_them_all() {
        try (TopologyHarness h = new TopologyHarness(agent(), 2, ConversationSettings.defaults(), stateDir)) {
            h.send(message("c1", "m1", "hold"));
            h.send(message("c1", "m2", "my order is late"));
            h.send(message("c1", "m3", "it is order 12345"));
            h.send(message("c1", "m4", "hello?"));
            release.countDown();

            List<AgentReply> replies = h.awaitReplies(4);

            assertThat(replies).hasSize(2);
            assertThat(replies.get(0).getInReplyTo()).isEqualTo("m1");
            assertThat(replies.get(0).getAnswers()).as("a reply to one message names none").isEmpty();
            AgentReply merged = replies.get(1);
            assertThat(merged.getInReplyTo()).as("the newest message answered").isEqualTo("m4");
            assertThat(merged.getAnswers()).containsExactly("m2", "m3", "m4");
            assertThat(merged.getText()).isEqualTo("echo my order is late\n\nit is order 12345\n\nhello?");
            assertThat(started.get(1).messageId()).as("the turn is named by its first message").isEqualTo("m2");
            HistoryTurn last = h.state("c1").getHistory().get(1);
            assertThat(last.getMessageId()).isEqualTo("m2");
            assertThat(last.getAnsweredMessageIds()).containsExactly("m2", "m3", "m4");
            assertThat(h.state("c1").getMessageCount()).isEqualTo(4);
            assertThat(h.state("c1").getTurnCount()).isEqualTo(2);
            assertThat(h.state("c1").getInbox()).isEmpty();
        }
    }

    @Test
    void should_answer_no_more_waiting_messages_per_turn_than_the_limit() {
        try (TopologyHarness h = new TopologyHarness(agent(), 2, inbox(50, 1_000_000, 2), stateDir)) {
            h.send(message("c1", "m1", "hold"));
            for (int i = 2; i <= 6; i++) {
                h.send(message("c1", "m" + i, "text " + i));
            }
            release.countDown();

            List<AgentReply> replies = h.awaitReplies(6);

            assertThat(replies).extracting(TopologyHarness::answered).containsExactly(List.of("m1"),
                    List.of("m2", "m3"), List.of("m4", "m5"), List.of("m6"));
        }
    }

    @Test
    void should_refuse_the_message_past_the_inbox_count_with_the_fixed_reply_and_a_dead_letter() {
        try (TopologyHarness h = new TopologyHarness(agent(), 2, inbox(3, 1_000_000, 10), stateDir)) {
            h.send(message("c1", "m1", "hold"));
            h.send(message("c1", "m2", "two"));
            h.send(message("c1", "m3", "three"));
            CustomerMessage refused = message("c1", "m4", "four");
            h.send(refused);

            List<AgentReply> replies = h.awaitReplies(1);

            assertThat(replies).singleElement().satisfies(reply -> {
                assertThat(reply.getInReplyTo()).isEqualTo("m4");
                assertThat(reply.getText()).isEqualTo(ConversationProcessor.INBOX_FULL);
                assertThat(reply.getDegraded()).isFalse();
            });
            assertInboxFullDeadLetter(h, refused);
            assertThat(h.state("c1").getInbox()).extracting(CustomerMessage::getMessageId)
                    .containsExactly("m1", "m2", "m3");
            assertThat(h.registry.counter("helpstream.messages.inbox.full").count()).isEqualTo(1.0);

            release.countDown();
            List<AgentReply> all = h.awaitReplies(4);
            h.send(refused);
            h.send(message("c1", "m5", "five"));
            List<AgentReply> after = h.awaitReplies(5);

            assertThat(all).flatExtracting(TopologyHarness::answered).containsExactlyInAnyOrder("m1", "m2", "m3",
                    "m4");
            assertThat(after).as("the refused message, redelivered, is not answered again").hasSize(all.size() + 1)
                    .last().extracting(AgentReply::getInReplyTo).isEqualTo("m5");
        }
    }

    @Test
    void should_take_messages_up_to_exactly_the_inbox_bytes_and_refuse_one_byte_more() {
        CustomerMessage first = message("c1", "m1", "hold");
        CustomerMessage second = message("c1", "m2", "x".repeat(200));
        long exactly = pendingBytes(first) + pendingBytes(second);

        try (TopologyHarness h = new TopologyHarness(agent(), 2, inbox(50, exactly, 10), stateDir)) {
            h.send(first);
            h.send(second);
            assertThat(h.deadLetters.isEmpty()).as("two messages of exactly the cap together").isTrue();
            assertThat(h.state("c1").getInbox()).hasSize(2);
        }
        release.countDown();
        try (TopologyHarness h = new TopologyHarness(agent(), 2, inbox(50, exactly - 1, 10),
                stateDir.resolve("smaller"))) {
            h.send(first);
            h.send(second);

            List<AgentReply> replies = h.awaitReplies(2);

            assertThat(replies).filteredOn(reply -> reply.getInReplyTo().equals("m2")).singleElement()
                    .extracting(AgentReply::getText).isEqualTo(ConversationProcessor.INBOX_FULL);
            assertInboxFullDeadLetter(h, second);
        }
    }

    @Test
    void should_drop_a_redelivery_after_many_newer_messages_and_after_its_conversation_ended() {
        ConversationSettings settings = ConversationSettings.defaults()
                .withIdleTimeout(Duration.ofMinutes(5), Duration.ofMinutes(1));
        try (TopologyHarness h = new TopologyHarness(agent(), 4, settings, stateDir)) {
            CustomerMessage oldest = message("c1", "m0", "first");
            h.send(oldest);
            h.awaitReplies(1);
            for (int i = 1; i <= 300; i++) {
                h.send(message("c1", "m" + i, "newer " + i));
                if (i % 20 == 0) {
                    h.awaitReplies(i + 1);
                }
            }
            h.awaitReplies(301);
            h.send(oldest);
            h.advance(Duration.ofMinutes(6));

            assertThat(h.conversationEvents.readValuesToList()).as("the conversation ended idle").hasSize(1);
            h.send(oldest);
            h.send(message("c1", "m300", "newer 300"));
            h.advance(Duration.ofSeconds(1));

            assertThat(h.replies.isEmpty()).as("no second reply to any of them").isTrue();
            assertThat(h.state("c1")).as("a dropped redelivery starts no conversation").isNull();
            assertThat(h.registry.counter("helpstream.messages.duplicate").count()).isEqualTo(3.0);
        }
    }

    @Test
    void should_answer_a_redelivery_again_once_the_dedup_retention_has_passed() {
        // The documented limit of "no second reply": ids are kept for the retention time, not for ever.
        Duration retention = Duration.ofHours(1);
        ConversationSettings settings = ConversationSettings.defaults().withDedupRetention(retention);
        try (TopologyHarness h = new TopologyHarness(agent(), 2, settings, stateDir)) {
            CustomerMessage message = message("c1", "m1", "hello");
            h.send(message);
            h.awaitReplies(1);
            h.advance(retention.multipliedBy(3));
            h.send(message("c2", "m2", "moves the store's clock on"));
            h.awaitReplies(2);

            h.send(message);
            List<AgentReply> replies = h.awaitReplies(3);

            assertThat(replies).extracting(AgentReply::getInReplyTo).containsExactly("m1", "m2", "m1");
        }
    }

    private static long pendingBytes(CustomerMessage message) {
        // The receive time is encoded as a varint: any time of these years takes as many bytes.
        return Topics.PENDING_MESSAGE.encode(new PendingMessage(message, Instant.parse("2026-01-01T00:00:00Z"), null, null))
                .length;
    }

    private static void assertInboxFullDeadLetter(TopologyHarness h, CustomerMessage message) {
        List<TestRecord<byte[], byte[]>> dead = h.deadLetters.readRecordsToList();
        assertThat(dead).singleElement().satisfies(record -> {
            assertThat(Topics.CUSTOMER_MESSAGE.decode(record.value())).isEqualTo(message);
            assertThat(new String(record.headers().lastHeader(DeadLetters.MESSAGE).value(), StandardCharsets.UTF_8))
                    .startsWith("INBOX_FULL: conversation c1 has ");
        });
    }
}
