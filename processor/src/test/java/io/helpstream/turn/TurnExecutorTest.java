package io.helpstream.turn;

import static org.assertj.core.api.Assertions.assertThat;

import io.helpstream.schema.ConversationState;
import io.helpstream.schema.CustomerMessage;
import io.helpstream.schema.TokenUsage;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class TurnExecutorTest {

    /** Far beyond any deadline a test sets: a completion that takes this long never came. */
    private static final Duration PATIENCE = Duration.ofSeconds(20);

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final BlockingQueue<TurnCompletion> completions = new LinkedBlockingQueue<>();

    @Test
    void should_end_a_turn_that_overflows_its_stack_as_failed_and_keep_running_turns() throws Exception {
        try (TurnExecutor turns = new TurnExecutor(request -> {
            if (request.messageId().equals("deep")) {
                throw new StackOverflowError("recursed too deep");
            }
            return reply();
        }, 1, Duration.ofMinutes(1), registry)) {
            turns.trySubmit(request("deep"), completions::add).orElseThrow();

            TurnCompletion failed = next();
            assertThat(failed.outcome()).isNull();
            assertThat(failed.failure()).isInstanceOf(StackOverflowError.class);

            awaitFreeSlots(turns, 1);
            turns.trySubmit(request("next"), completions::add).orElseThrow();
            assertThat(next().outcome()).isNotNull();
            assertThat(registry.counter("helpstream.turns", "result", "failed").count()).isEqualTo(1.0);
        }
    }

    @Test
    void should_end_a_turn_that_runs_out_of_memory_as_failed() throws Exception {
        try (TurnExecutor turns = new TurnExecutor(request -> {
            throw new OutOfMemoryError("Java heap space");
        }, 1, Duration.ofMinutes(1), registry)) {
            turns.trySubmit(request("big"), completions::add).orElseThrow();

            assertThat(next().failure()).isInstanceOf(OutOfMemoryError.class);
        }
    }

    @Test
    void should_fail_a_turn_past_its_deadline_interrupt_it_and_free_its_slot() throws Exception {
        CountDownLatch never = new CountDownLatch(1);
        CountDownLatch interrupted = new CountDownLatch(1);
        try (TurnExecutor turns = new TurnExecutor(request -> {
            try {
                never.await();
            } catch (InterruptedException e) {
                interrupted.countDown();
                throw e;
            }
            return reply();
        }, 1, Duration.ofMillis(100), registry)) {
            turns.trySubmit(request("slow"), completions::add).orElseThrow();

            TurnCompletion timedOut = next();
            assertThat(timedOut.failure()).isInstanceOf(TurnTimeoutException.class)
                    .hasMessageContaining("PT0.1S");
            awaitFreeSlots(turns, 1);
            // The interrupt reaches the turn's thread after the slot is freed; wait for it, boundedly.
            assertThat(interrupted.await(10, TimeUnit.SECONDS)).as("the turn's thread was interrupted").isTrue();
            assertThat(completions.poll(200, TimeUnit.MILLISECONDS)).as("one completion per turn").isNull();
            assertThat(registry.counter("helpstream.turns", "result", "timed_out").count()).isEqualTo(1.0);
        }
    }

    @Test
    void should_free_the_slot_of_a_turn_that_ignores_the_interrupt() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        try (TurnExecutor turns = new TurnExecutor(request -> {
            if (request.messageId().equals("stuck")) {
                while (!release.await(10, TimeUnit.SECONDS)) {
                    Thread.interrupted();
                }
            }
            return reply();
        }, 1, Duration.ofMillis(100), registry)) {
            turns.trySubmit(request("stuck"), completions::add).orElseThrow();
            assertThat(next().failure()).isInstanceOf(TurnTimeoutException.class);

            awaitFreeSlots(turns, 1);
            turns.trySubmit(request("after"), completions::add).orElseThrow();
            TurnCompletion after = next();
            assertThat(after.request().messageId()).isEqualTo("after");
            assertThat(after.outcome()).isNotNull();
            release.countDown();
            assertThat(completions.poll(200, TimeUnit.MILLISECONDS)).as("the late turn stays discarded").isNull();
            awaitFreeSlots(turns, 1);
        }
    }

    @Test
    void should_give_a_freed_slot_to_the_oldest_waiting_conversation_whichever_task_holds_it() throws Exception {
        Map<String, CountDownLatch> gates = new java.util.concurrent.ConcurrentHashMap<>();
        java.util.List<String> started = java.util.Collections.synchronizedList(new ArrayList<>());
        try (TurnExecutor turns = new TurnExecutor(request -> {
            started.add(request.messageId());
            gates.computeIfAbsent(request.messageId(), id -> new CountDownLatch(1)).await();
            return reply();
        }, 1, Duration.ofMinutes(1), registry)) {
            TurnLine.Place taskA = turns.place(Duration.ofMinutes(1));
            TurnLine.Place taskB = turns.place(Duration.ofMinutes(1));
            turns.trySubmit(request("running"), completions::add).orElseThrow();
            long a1 = turns.ticket();
            taskA.waiting(a1);
            long b1 = turns.ticket();
            taskB.waiting(b1);
            long a2 = turns.ticket();

            release(gates, "running");
            awaitFreeSlots(turns, 1);
            // B's thread asks first: A has waited longer. A message B's process() would start at once waits too.
            assertThat(turns.mayStart(taskB, b1)).isFalse();
            assertThat(turns.trySubmit(request("b1"), taskB, b1, completions::add)).isEmpty();
            assertThat(turns.trySubmit(request("direct"), taskB, turns.ticket(), completions::add)).isEmpty();
            turns.trySubmit(request("a1"), taskA, a1, completions::add).orElseThrow();
            taskA.waiting(a2);

            release(gates, "a1");
            awaitFreeSlots(turns, 1);
            // A's next conversation came after B's: B's turn now, though A asks first.
            assertThat(turns.trySubmit(request("a2"), taskA, a2, completions::add)).isEmpty();
            turns.trySubmit(request("b1"), taskB, b1, completions::add).orElseThrow();
            taskB.none();

            release(gates, "b1");
            awaitFreeSlots(turns, 1);
            turns.trySubmit(request("a2"), taskA, a2, completions::add).orElseThrow();
            release(gates, "a2");
            awaitFreeSlots(turns, 1);

            assertThat(started).containsExactly("running", "a1", "b1", "a2");
        }
    }

    @Test
    void should_drain_by_refusing_new_turns_and_waiting_for_the_running_ones_to_be_settled() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        try (TurnExecutor turns = new TurnExecutor(request -> {
            release.await();
            return reply();
        }, 2, Duration.ofMinutes(1), registry)) {
            turns.trySubmit(request("running"), completions::add).orElseThrow();
            java.util.concurrent.CompletableFuture<Boolean> drained = java.util.concurrent.CompletableFuture
                    .supplyAsync(() -> {
                        try {
                            return turns.drain(PATIENCE);
                        } catch (InterruptedException e) {
                            throw new IllegalStateException(e);
                        }
                    });
            awaitDraining(turns);

            assertThat(turns.trySubmit(request("new"), completions::add)).as("no new turn while draining").isEmpty();
            release.countDown();
            next();
            assertThat(drained).as("its completion is not applied yet").isNotDone();
            turns.settled();
            assertThat(drained.get(PATIENCE.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
        }
    }

    @Test
    void should_give_up_draining_after_the_grace_and_say_so() throws Exception {
        CountDownLatch never = new CountDownLatch(1);
        try (TurnExecutor turns = new TurnExecutor(request -> {
            never.await();
            return reply();
        }, 1, Duration.ofMinutes(1), registry)) {
            turns.trySubmit(request("stuck"), completions::add).orElseThrow();

            assertThat(turns.drain(Duration.ofMillis(50))).isFalse();
        }
    }

    private static void awaitDraining(TurnExecutor turns) throws InterruptedException {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (!turns.draining()) {
            assertThat(System.nanoTime()).isLessThan(deadline);
            Thread.sleep(5);
        }
    }

    private static void release(Map<String, CountDownLatch> gates, String messageId) {
        gates.computeIfAbsent(messageId, id -> new CountDownLatch(1)).countDown();
    }

    @Test
    void should_refuse_a_deadline_that_is_not_positive() {
        org.assertj.core.api.Assertions.assertThatThrownBy(
                        () -> new TurnExecutor(request -> reply(), 1, Duration.ZERO, registry))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("turnTimeout");
    }

    private TurnCompletion next() throws InterruptedException {
        TurnCompletion completion = completions.poll(PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
        assertThat(completion).as("a completion within %s", PATIENCE).isNotNull();
        return completion;
    }

    private static void awaitFreeSlots(TurnExecutor turns, int slots) throws InterruptedException {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (turns.freeSlots() < slots) {
            assertThat(System.nanoTime()).as("%d free slots within %s", slots, PATIENCE).isLessThan(deadline);
            Thread.sleep(5);
        }
    }

    private static TurnOutcome reply() {
        return TurnOutcome.builder().replyText("ok").model("fake").usage(new TokenUsage(1, 1, 2)).build();
    }

    private static TurnRequest request(String messageId) {
        CustomerMessage message = CustomerMessage.newBuilder().setMessageId(messageId).setConversationId("c1")
                .setCustomerEmail(null).setChannel("web").setText("hi")
                .setSentAt(Instant.parse("2026-01-01T00:00:00Z")).setMetadata(Map.of()).build();
        ConversationState state = ConversationState.newBuilder().setConversationId("c1").setCustomer(null)
                .setCreatedAt(Instant.EPOCH).setLastActivityAt(Instant.EPOCH).setHistory(new ArrayList<>())
                .setContext(new HashMap<>()).setInbox(new ArrayList<>()).setInboxReceivedAt(new ArrayList<>())
                .setRecentMessageIds(new ArrayList<>()).build();
        return new TurnRequest(message, state, 1);
    }
}
