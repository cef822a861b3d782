package io.helpstream.conversation;

import static io.helpstream.conversation.TopologyHarness.message;
import static org.assertj.core.api.Assertions.assertThat;

import io.helpstream.contract.ConversationStores;
import io.helpstream.schema.ConversationEnded;
import io.helpstream.schema.TokenUsage;
import io.helpstream.turn.TurnOutcome;
import io.helpstream.turn.TurnRequest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Idle conversations are found through the expiry index, a bounded batch per step on the stream thread: no step
 * reads every conversation, a backlog is worked through step by step, and a conversation that was active since its
 * entry was written is looked at again at its new deadline instead of ending.
 */
class ExpiryTopologyTest {

    private static final Duration IDLE = Duration.ofMinutes(30);
    private static final Duration SCAN = Duration.ofMinutes(1);

    @TempDir
    Path stateDir;

    private static TurnOutcome echo(TurnRequest request) {
        return TurnOutcome.builder().replyText("echo " + request.userText()).model("fake")
                .usage(new TokenUsage(1, 1, 2)).build();
    }

    @Test
    void should_end_no_more_conversations_per_step_than_the_batch_and_work_through_the_rest_step_by_step() {
        ConversationSettings settings = ConversationSettings.defaults().withIdleTimeout(IDLE, SCAN)
                .withExpiryBatch(10);
        try (TopologyHarness h = new TopologyHarness(ExpiryTopologyTest::echo, 4, settings, stateDir)) {
            for (int i = 0; i < 25; i++) {
                h.send(message("c" + i, "m" + i, "hello"));
            }
            h.awaitReplies(25);
            h.advance(IDLE.minus(SCAN));
            assertThat(h.conversationEvents.isEmpty()).as("none is due yet").isTrue();

            h.advance(SCAN);
            List<ConversationEnded> firstStep = h.conversationEvents.readValuesToList();
            h.advance(settings.applyInterval());
            List<ConversationEnded> secondStep = h.conversationEvents.readValuesToList();
            h.advance(settings.applyInterval());
            List<ConversationEnded> thirdStep = h.conversationEvents.readValuesToList();
            h.advance(settings.applyInterval());

            assertThat(firstStep).hasSize(10);
            assertThat(secondStep).hasSize(10);
            assertThat(thirdStep).hasSize(5);
            assertThat(h.conversationEvents.isEmpty()).isTrue();
            for (int i = 0; i < 25; i++) {
                assertThat(h.state("c" + i)).isNull();
            }
            assertThat(entries(h, ConversationStores.EXPIRY)).as("every index entry consumed").isZero();
            assertThat(entries(h, ConversationStores.HISTORY)).as("every history turn removed").isZero();
        }
    }

    @Test
    void should_end_a_step_once_its_time_is_spent_and_leave_the_rest_for_the_next_steps() {
        // Every read of a conversation's meta takes 5 ms (a slow disk, a busy machine): 40 of them would hold the
        // stream thread for 200 ms, and the batch allows them all; the step time of 12 ms cuts each step short.
        ConversationSettings settings = ConversationSettings.defaults().withIdleTimeout(IDLE, SCAN)
                .withExpiryBatch(100).withExpiryStepTime(Duration.ofMillis(12));
        StoreSuppliers memory = StoreSuppliers.inMemory(settings.dedupRetention());
        SlowReads slowMeta = new SlowReads(memory.meta(), Duration.ofMillis(5));
        try (TopologyHarness h = new TopologyHarness(ExpiryTopologyTest::echo, 4, settings, stateDir,
                memory.withMeta(slowMeta))) {
            for (int i = 0; i < 40; i++) {
                h.send(message("c" + i, "m" + i, "hello"));
            }
            h.awaitReplies(40);
            slowMeta.slow(true);
            h.advance(IDLE);

            List<Integer> perStep = new java.util.ArrayList<>();
            perStep.add(h.conversationEvents.readValuesToList().size());
            for (int step = 0; step < 100 && perStep.stream().mapToInt(Integer::intValue).sum() < 40; step++) {
                h.advance(settings.applyInterval());
                perStep.add(h.conversationEvents.readValuesToList().size());
            }

            assertThat(perStep.get(0)).as("the first step: at least one, at most what 12 ms allow")
                    .isBetween(1, 4);
            assertThat(perStep).as("no step ends more than its time allows").allMatch(ended -> ended <= 4);
            assertThat(perStep.stream().mapToInt(Integer::intValue).sum()).as("all ended in the end").isEqualTo(40);
            assertThat(entries(h, ConversationStores.EXPIRY)).as("every index entry consumed").isZero();
        }
    }

    @Test
    void should_look_again_at_a_conversation_active_since_its_deadline_was_indexed_and_end_it_later() {
        ConversationSettings settings = ConversationSettings.defaults().withIdleTimeout(IDLE, SCAN);
        try (TopologyHarness h = new TopologyHarness(ExpiryTopologyTest::echo, 4, settings, stateDir)) {
            h.send(message("c1", "m1", "hello"));
            h.awaitReplies(1);
            h.advance(Duration.ofMinutes(20));
            h.send(message("c1", "m2", "still there"));
            h.awaitReplies(2);

            h.advance(Duration.ofMinutes(15));
            assertThat(h.conversationEvents.isEmpty()).as("35 minutes after its start, 15 after its last message")
                    .isTrue();
            assertThat(entries(h, ConversationStores.EXPIRY)).as("indexed again at its new deadline").isOne();

            h.advance(Duration.ofMinutes(20));
            assertThat(h.conversationEvents.readValuesToList()).singleElement().satisfies(ended -> {
                assertThat(ended.getConversationId()).isEqualTo("c1");
                assertThat(ended.getMessageCount()).isEqualTo(2);
                assertThat(ended.getTurnCount()).isEqualTo(2);
            });
            assertThat(h.state("c1")).isNull();
        }
    }

    @Test
    void should_not_end_a_conversation_whose_messages_wait_for_an_answer() {
        ConversationSettings settings = ConversationSettings.defaults().withIdleTimeout(IDLE, SCAN);
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        try (TopologyHarness h = new TopologyHarness(request -> {
            release.await();
            return echo(request);
        }, 4, settings.withTurns(1, Duration.ofSeconds(1), Duration.ofHours(1)), stateDir)) {
            h.send(message("c1", "m1", "hello"));
            h.advance(IDLE.plus(SCAN));

            assertThat(h.conversationEvents.isEmpty()).isTrue();
            assertThat(h.state("c1").getInbox()).hasSize(1);
            release.countDown();
            assertThat(h.awaitReplies(1)).singleElement().extracting(reply -> reply.getText())
                    .isEqualTo("echo hello");
        }
    }

    private static long entries(TopologyHarness h, String store) {
        KeyValueStore<Bytes, byte[]> kv = h.driver.getKeyValueStore(store);
        long count = 0;
        try (KeyValueIterator<Bytes, byte[]> all = kv.all()) {
            while (all.hasNext()) {
                all.next();
                count++;
            }
        }
        return count;
    }
}
