package io.helpstream.conversation;

import static io.helpstream.conversation.TopologyHarness.message;
import static org.assertj.core.api.Assertions.assertThat;

import io.helpstream.contract.Topics;
import io.helpstream.schema.AgentReply;
import io.helpstream.schema.ConversationEnded;
import io.helpstream.schema.ConversationState;
import io.helpstream.schema.CustomerMessage;
import io.helpstream.schema.TicketEvent;
import io.helpstream.schema.TicketEventType;
import io.helpstream.schema.TicketPriority;
import io.helpstream.schema.TicketStatus;
import io.helpstream.schema.TokenUsage;
import io.helpstream.turn.Agent;
import io.helpstream.turn.TurnFailedException;
import io.helpstream.turn.TurnOutcome;
import io.helpstream.turn.TurnRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.state.KeyValueBytesStoreSupplier;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConversationTopologyTest {

    @TempDir
    Path stateDir;

    private static TurnOutcome echo(TurnRequest request) {
        return TurnOutcome.builder()
                .replyText("echo " + request.userText() + " after " + request.conversation().getHistory().size())
                .model("fake")
                .usage(new TokenUsage(3, 4, 1))
                .build();
    }

    /**
     * One message per turn: these tests are about the order and concurrency of turns. Answering waiting messages
     * together is {@link InboxTopologyTest}'s.
     */
    static final ConversationSettings ONE_PER_TURN = ConversationSettings.defaults().withInboxLimits(
            new InboxLimits(InboxLimits.DEFAULT_MAX_PENDING_MESSAGES, InboxLimits.DEFAULT_MAX_PENDING_BYTES, 1));

    private TopologyHarness harness(Agent agent, int maxInFlight) {
        return new TopologyHarness(agent, maxInFlight, ONE_PER_TURN, stateDir);
    }

    @Test
    void should_answer_messages_of_one_conversation_in_order_with_growing_history() {
        try (TopologyHarness h = harness(request -> {
            Thread.sleep((long) (Math.random() * 5));
            return echo(request);
        }, 4)) {
            for (int i = 1; i <= 5; i++) {
                h.send(message("c1", "m" + i, "hello " + i));
            }
            List<AgentReply> replies = h.awaitReplies(5);

            assertThat(replies).extracting(AgentReply::getInReplyTo).containsExactly("m1", "m2", "m3", "m4", "m5");
            assertThat(replies).extracting(AgentReply::getText).containsExactly("echo hello 1 after 0",
                    "echo hello 2 after 1", "echo hello 3 after 2", "echo hello 4 after 3", "echo hello 5 after 4");
            assertThat(replies.get(0).getUsage()).isEqualTo(new TokenUsage(3, 4, 1));
            assertThat(replies.get(0).getModel()).isEqualTo("fake");
        }
    }

    @Test
    void should_run_one_turn_per_conversation_and_several_conversations_at_once() {
        Map<String, AtomicInteger> running = new ConcurrentHashMap<>();
        AtomicInteger maxPerConversation = new AtomicInteger();
        AtomicInteger concurrent = new AtomicInteger();
        AtomicInteger maxConcurrent = new AtomicInteger();
        CountDownLatch threeRunning = new CountDownLatch(3);
        Agent agent = request -> {
            int mine = running.computeIfAbsent(request.conversationId(), k -> new AtomicInteger()).incrementAndGet();
            maxPerConversation.accumulateAndGet(mine, Math::max);
            maxConcurrent.accumulateAndGet(concurrent.incrementAndGet(), Math::max);
            threeRunning.countDown();
            // Holds every turn until three conversations run at once: proves they are not serialised.
            threeRunning.await(5, TimeUnit.SECONDS);
            Thread.sleep(2);
            concurrent.decrementAndGet();
            running.get(request.conversationId()).decrementAndGet();
            return echo(request);
        };
        try (TopologyHarness h = harness(agent, 3)) {
            for (int i = 1; i <= 4; i++) {
                for (String conversation : List.of("a", "b", "c")) {
                    h.send(message(conversation, conversation + i, "msg " + i));
                }
            }
            List<AgentReply> replies = h.awaitReplies(12);

            assertThat(maxConcurrent.get()).isEqualTo(3);
            assertThat(maxPerConversation.get()).isEqualTo(1);
            for (String conversation : List.of("a", "b", "c")) {
                assertThat(replies).filteredOn(r -> r.getConversationId().equals(conversation))
                        .extracting(AgentReply::getInReplyTo)
                        .containsExactly(conversation + 1, conversation + 2, conversation + 3, conversation + 4);
            }
        }
    }

    @Test
    void should_run_no_more_turns_at_once_than_there_are_slots_and_answer_every_waiting_conversation() {
        AtomicInteger concurrent = new AtomicInteger();
        AtomicInteger maxConcurrent = new AtomicInteger();
        Agent agent = request -> {
            maxConcurrent.accumulateAndGet(concurrent.incrementAndGet(), Math::max);
            Thread.sleep(5);
            concurrent.decrementAndGet();
            return echo(request);
        };
        try (TopologyHarness h = harness(agent, 2)) {
            for (int c = 1; c <= 8; c++) {
                h.send(message("conv" + c, "m" + c + "a", "first"));
                h.send(message("conv" + c, "m" + c + "b", "second"));
            }
            List<AgentReply> replies = h.awaitReplies(16);

            assertThat(maxConcurrent.get()).isEqualTo(2);
            for (int c = 1; c <= 8; c++) {
                String conversation = "conv" + c;
                assertThat(replies).filteredOn(r -> r.getConversationId().equals(conversation))
                        .extracting(AgentReply::getInReplyTo).containsExactly("m" + c + "a", "m" + c + "b");
            }
        }
    }

    @Test
    void should_answer_a_redelivered_message_once() {
        AtomicInteger calls = new AtomicInteger();
        try (TopologyHarness h = harness(request -> {
            calls.incrementAndGet();
            return echo(request);
        }, 2)) {
            CustomerMessage message = message("c1", "m1", "hi");
            h.send(message);
            h.awaitReplies(1);
            h.send(message);
            h.send(message("c1", "m2", "again"));
            List<AgentReply> replies = h.awaitReplies(2);

            assertThat(replies).extracting(AgentReply::getInReplyTo).containsExactly("m1", "m2");
            assertThat(calls.get()).isEqualTo(2);
            assertThat(h.registry.counter("helpstream.messages.duplicate").count()).isEqualTo(1.0);
        }
    }

    @Test
    void should_keep_unanswered_messages_in_the_store_and_resume_them_when_the_task_restarts() {
        CountDownLatch never = new CountDownLatch(1);
        TopologyHarness first = stuck(never);
        first.send(message("c1", "m1", "one"));
        first.send(message("c1", "m2", "two"));
        first.send(message("c2", "m3", "three"));
        assertThat(first.state("c1").getInbox()).extracting(CustomerMessage::getMessageId).containsExactly("m1", "m2");
        assertThat(first.replies.isEmpty()).isTrue();

        StoreSuppliers restored = RestoredStores.of(first).suppliers(ConversationSettings.DEFAULT_DEDUP_RETENTION);
        try (TopologyHarness second = new TopologyHarness(ConversationTopologyTest::echo, 2,
                ConversationSettings.defaults(), stateDir.resolve("second"), restored)) {
            List<AgentReply> replies = second.awaitReplies(3);

            // Both of c1's messages waited when the task started again: one turn answers them together.
            assertThat(replies).extracting(AgentReply::getInReplyTo).containsExactlyInAnyOrder("m2", "m3");
            assertThat(replies).filteredOn(r -> r.getConversationId().equals("c1")).singleElement()
                    .satisfies(reply -> {
                        assertThat(reply.getAnswers()).containsExactly("m1", "m2");
                        assertThat(reply.getText()).isEqualTo("echo one\n\ntwo after 0");
                    });
            assertThat(second.state("c1").getInbox()).isEmpty();
        } finally {
            never.countDown();
            first.close();
        }
    }

    @Test
    void should_resume_every_message_left_unanswered_not_only_the_head_of_each_inbox() {
        CountDownLatch never = new CountDownLatch(1);
        TopologyHarness first = stuck(never);
        first.send(message("c1", "m1", "one"));
        first.send(message("c1", "m2", "two"));
        StoreSuppliers restored = RestoredStores.of(first).suppliers(ConversationSettings.DEFAULT_DEDUP_RETENTION);
        // An earlier owner may have written for m2 as well as for m1 before it died: both turns must be able to
        // rebuild their ticket events from what the database recorded.
        Map<String, Boolean> mayFollow = new ConcurrentHashMap<>();
        try (TopologyHarness second = new TopologyHarness(request -> {
            mayFollow.put(request.messageId(), request.mayFollowAnotherAttempt());
            return echo(request);
        }, 2, ONE_PER_TURN, stateDir.resolve("second"), restored)) {
            second.awaitReplies(2);
            second.send(message("c1", "m3", "three"));
            second.awaitReplies(3);

            assertThat(mayFollow).containsEntry("m1", true).containsEntry("m2", true).containsEntry("m3", false);
        } finally {
            never.countDown();
            first.close();
        }
    }

    /** A task whose turns never finish until {@code never} is counted down. */
    private TopologyHarness stuck(CountDownLatch never) {
        return new TopologyHarness(request -> {
            never.await();
            return echo(request);
        }, 2, ONE_PER_TURN, stateDir.resolve("first"));
    }

    @Test
    void should_publish_ticket_events_of_a_turn_with_its_reply() {
        Agent agent = request -> TurnOutcome.builder()
                .replyText("ticket opened")
                .model("fake")
                .usage(new TokenUsage(1, 1, 2))
                .ticketEvent(TicketEvent.newBuilder()
                        .setEventId("e1").setType(TicketEventType.CREATED).setTicketId("TICK-000001")
                        .setCustomerId("CUST001").setStatus(TicketStatus.OPEN).setPriority(TicketPriority.HIGH)
                        .setSubject("Laptop").setOccurredAt(Instant.parse("2026-01-01T00:00:00Z"))
                        .setConversationId(request.conversationId()).setMessageId(request.messageId()).build())
                .context("order_number", "#12345")
                .build();
        try (TopologyHarness h = harness(agent, 1)) {
            h.send(message("c1", "m1", "broken"));
            h.awaitReplies(1);

            var events = h.ticketEvents();
            assertThat(events).hasSize(1);
            assertThat(events.get(0).key()).isEqualTo("TICK-000001");
            assertThat(events.get(0).value().getMessageId()).isEqualTo("m1");
            ConversationState state = h.state("c1");
            assertThat(state.getContext()).containsEntry("order_number", "#12345");
            assertThat(state.getHistory()).singleElement().satisfies(turn -> {
                assertThat(turn.getUserText()).isEqualTo("broken");
                assertThat(turn.getReplyText()).isEqualTo("ticket opened");
            });
        }
    }

    @Test
    void should_retry_a_failed_turn_and_apologise_after_the_last_attempt() {
        AtomicInteger calls = new AtomicInteger();
        List<Integer> attempts = Collections.synchronizedList(new ArrayList<>());
        Agent agent = request -> {
            attempts.add(request.attempt());
            if (request.message().getText().equals("fails") || calls.incrementAndGet() < 2) {
                throw new IllegalStateException("model down");
            }
            return echo(request);
        };
        try (TopologyHarness h = harness(agent, 1)) {
            h.send(message("c1", "m1", "works on second try"));
            h.send(message("c2", "m2", "fails"));
            List<AgentReply> replies = h.awaitRepliesAdvancing(2, Duration.ofSeconds(1));

            assertThat(replies).filteredOn(r -> r.getInReplyTo().equals("m1")).singleElement()
                    .satisfies(r -> assertThat(r.getDegraded()).isFalse());
            assertThat(replies).filteredOn(r -> r.getInReplyTo().equals("m2")).singleElement().satisfies(r -> {
                assertThat(r.getDegraded()).isTrue();
                assertThat(r.getText()).isEqualTo(ConversationProcessor.APOLOGY);
            });
            assertThat(attempts).contains(1, 2, 3);
        }
    }

    @Test
    void should_publish_with_the_apology_the_events_of_writes_made_by_failed_attempts_once_each() {
        // Every attempt writes the same ticket (one idempotency key, one event id) and then fails.
        Agent agent = request -> {
            throw new TurnFailedException(new IllegalStateException("model broke after the tool call"),
                    List.of(TicketEvent.newBuilder()
                            .setEventId("e1").setType(TicketEventType.CREATED).setTicketId("TICK-000007")
                            .setCustomerId("CUST001").setStatus(TicketStatus.OPEN).setPriority(TicketPriority.HIGH)
                            .setSubject("Laptop").setOccurredAt(Instant.parse("2026-01-01T00:00:00Z"))
                            .setConversationId(request.conversationId()).setMessageId(request.messageId()).build()));
        };
        try (TopologyHarness h = harness(agent, 1)) {
            h.send(message("c1", "m1", "my laptop is broken"));
            List<AgentReply> replies = h.awaitRepliesAdvancing(1, Duration.ofSeconds(1));

            assertThat(replies).singleElement().satisfies(reply -> {
                assertThat(reply.getText()).isEqualTo(ConversationProcessor.APOLOGY);
                assertThat(reply.getDegraded()).isTrue();
            });
            assertThat(h.ticketEvents()).singleElement().satisfies(event -> {
                assertThat(event.key()).isEqualTo("TICK-000007");
                assertThat(event.value().getEventId()).isEqualTo("e1");
            });
        }
    }

    @Test
    void should_end_an_idle_conversation_with_an_event_and_a_tombstone_and_start_afresh_later() {
        ConversationSettings settings = ConversationSettings.defaults()
                .withIdleTimeout(Duration.ofMinutes(30), Duration.ofMinutes(1));
        try (TopologyHarness h = new TopologyHarness(ConversationTopologyTest::echo, 1, settings, stateDir)) {
            h.send(message("c1", "m1", "hi"));
            h.awaitReplies(1);
            h.advance(Duration.ofMinutes(29));
            assertThat(h.conversationEvents.isEmpty()).isTrue();

            h.advance(Duration.ofMinutes(2));

            ConversationEnded ended = h.conversationEvents.readValue();
            assertThat(ended.getConversationId()).isEqualTo("c1");
            assertThat(ended.getMessageCount()).isEqualTo(1);
            assertThat(ended.getTurnCount()).isEqualTo(1);
            assertThat(h.state("c1")).isNull();
            h.send(message("c1", "m2", "back again"));
            assertThat(h.awaitReplies(2).get(1).getText()).isEqualTo("echo back again after 0");
        }
    }

    @Test
    void should_give_the_model_clean_text_and_publish_a_reply_without_escape_sequences() {
        List<String> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
        try (TopologyHarness h = harness(request -> {
            seen.add(request.userText());
            return TurnOutcome.builder().replyText("\u001b]0;owned\u0007Your ticket\u0000 is \u001b[1mopen\u001b[0m")
                    .model("fake").usage(new TokenUsage(1, 1, 2)).build();
        }, 2)) {
            h.send(message("c1", "m1", "my order\u0000 \u001b[2Kis late\u202e"));

            List<AgentReply> replies = h.awaitReplies(1);

            assertThat(seen).containsExactly("my order is late");
            assertThat(replies).singleElement().extracting(AgentReply::getText).isEqualTo("Your ticket is open");
            assertThat(h.state("c1").getHistory()).singleElement().satisfies(turn -> {
                assertThat(turn.getUserText()).isEqualTo("my order is late");
                assertThat(turn.getReplyText()).isEqualTo("Your ticket is open");
            });
        }
    }
}
