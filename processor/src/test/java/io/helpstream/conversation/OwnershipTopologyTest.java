package io.helpstream.conversation;

import static io.helpstream.conversation.TopologyHarness.message;
import static org.assertj.core.api.Assertions.assertThat;

import io.helpstream.fencing.Fence;
import io.helpstream.fencing.FencedException;
import io.helpstream.fencing.TaskFences;
import io.helpstream.schema.TokenUsage;
import io.helpstream.turn.Agent;
import io.helpstream.turn.TurnOutcome;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A task's fence as its processor sees it: claimed before any turn starts, and a turn it refuses. */
class OwnershipTopologyTest {

    @TempDir
    Path stateDir;

    private final List<Fence> seen = new CopyOnWriteArrayList<>();

    @Test
    void should_start_no_turn_before_the_task_claimed_its_fence_and_claim_again_after_a_failure() {
        AtomicInteger claims = new AtomicInteger();
        TaskFences failingOnce = new TaskFences() {
            @Override
            public Fence claim(String scope) {
                if (claims.incrementAndGet() == 1) {
                    throw new IllegalStateException("database down");
                }
                return Fence.of(scope, 7);
            }

            @Override
            public boolean blocking() {
                return false;
            }
        };
        try (TopologyHarness h = harness(echo(), failingOnce)) {
            h.send(message("c1", "m1", "hi"));
            h.advance(Duration.ofMillis(500));
            assertThat(h.replies.isEmpty()).as("no turn without a fence").isTrue();
            assertThat(seen).isEmpty();

            h.awaitRepliesAdvancing(1, Duration.ofMillis(200));

            assertThat(claims).hasValue(2);
            assertThat(seen).singleElement().satisfies(fence -> {
                assertThat(fence.scope()).isEqualTo("helpstream-test/0_0");
                assertThat(fence.epoch()).isEqualTo(7);
            });
        }
    }

    @Test
    void should_end_a_turn_refused_by_its_fence_without_a_reply_and_start_no_more_turns_in_that_life() {
        AtomicInteger turns = new AtomicInteger();
        Agent refused = request -> {
            turns.incrementAndGet();
            throw new FencedException("fence is stale: claimed by a newer owner");
        };
        try (TopologyHarness h = harness(refused, TaskFences.inMemory())) {
            h.send(message("c1", "m1", "hi"));
            h.pumpUntil(() -> turns.get() == 1 && h.turnsIdle());
            h.advance(Duration.ofSeconds(5));
            h.send(message("c2", "m2", "hello"));
            h.advance(Duration.ofSeconds(5));

            assertThat(h.replies.isEmpty()).isTrue();
            assertThat(h.deadLetters.isEmpty()).isTrue();
            assertThat(turns).as("no retry, and no turn for the next message").hasValue(1);
            assertThat(h.state("c1").getInbox()).as("left for the task's new owner").hasSize(1);
        }
    }

    private TopologyHarness harness(Agent agent, TaskFences fences) {
        ConversationSettings settings = ConversationTopologyTest.ONE_PER_TURN;
        return new TopologyHarness(request -> {
            seen.add(request.fence());
            return agent.respond(request);
        }, 2, settings, stateDir, StoreSuppliers.persistent(settings.dedupRetention()), settings.turnTimeout(),
                fences);
    }

    private static Agent echo() {
        return request -> TurnOutcome.builder().replyText("echo").model("fake").usage(new TokenUsage(1, 1, 1))
                .build();
    }
}
