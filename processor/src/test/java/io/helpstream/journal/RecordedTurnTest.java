package io.helpstream.journal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.helpstream.fencing.Fence;
import io.helpstream.fencing.FencedException;
import io.helpstream.journal.JournalEntry.Kind;
import io.helpstream.schema.ConversationState;
import io.helpstream.schema.CustomerMessage;
import io.helpstream.turn.TurnRequest;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class RecordedTurnTest {

    private final CountingJournal store = new CountingJournal(new InMemoryTurnJournal(Clock.systemUTC()));
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final TurnJournals journals = new TurnJournals(store, JournalSettings.defaults(), meters);

    @Test
    void should_replay_the_recorded_steps_in_order_then_record_the_new_ones_after_them() {
        RecordedTurn first = journals.open(request("m1", false));
        first.record(Kind.MODEL, "call lookup");
        first.record(Kind.TOOL, "found");

        RecordedTurn rerun = journals.open(request("m1", true));
        assertThat(rerun.replay(Kind.MODEL, entry -> true)).get().extracting(JournalEntry::payload)
                .isEqualTo("call lookup");
        assertThat(rerun.replay(Kind.TOOL, entry -> true)).get().extracting(JournalEntry::payload)
                .isEqualTo("found");
        assertThat(rerun.replay(Kind.MODEL, entry -> true)).isEmpty();
        rerun.record(Kind.MODEL, "answer");

        assertThat(store.recorded("c1", "m1")).extracting(JournalEntry::step, JournalEntry::payload)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(1, "call lookup"),
                        org.assertj.core.groups.Tuple.tuple(2, "found"),
                        org.assertj.core.groups.Tuple.tuple(3, "answer"));
    }

    @Test
    void should_drop_what_an_earlier_run_recorded_past_the_first_step_it_does_not_replay() {
        RecordedTurn first = journals.open(request("m2", false));
        first.record(Kind.MODEL, "call lookup");
        first.record(Kind.TOOL, "found");
        first.record(Kind.MODEL, "answer for m2 alone");

        RecordedTurn rerun = journals.open(request("m2", true));
        rerun.replay(Kind.MODEL, entry -> true);
        rerun.replay(Kind.TOOL, entry -> true);
        assertThat(rerun.replay(Kind.MODEL, entry -> false)).as("not for this run").isEmpty();

        assertThat(store.recorded("c1", "m2")).extracting(JournalEntry::payload)
                .containsExactly("call lookup", "found");
        rerun.record(Kind.MODEL, "answer for m2 and m3");
        assertThat(store.recorded("c1", "m2")).extracting(JournalEntry::payload).last()
                .isEqualTo("answer for m2 and m3");
    }

    @Test
    void should_read_nothing_for_a_first_attempt_and_the_steps_for_one_that_may_follow_another() {
        journals.open(request("m3", false));
        assertThat(store.reads).hasValue(0);

        journals.open(request("m3", true));
        assertThat(store.reads).hasValue(1);
    }

    @Test
    void should_read_the_steps_this_process_recorded_for_a_message_not_answered_yet() {
        // The fallback model's run of a first attempt goes on from where the model's run stopped.
        journals.open(request("m4", false)).record(Kind.MODEL, "call lookup");

        RecordedTurn fallback = journals.open(request("m4", false));

        assertThat(fallback.replay(Kind.MODEL, entry -> true)).isPresent();
        journals.answered(request("m4", false));
        journals.open(request("m4", false));
        assertThat(store.reads).hasValue(1);
    }

    @Test
    void should_go_on_unrecorded_when_the_journal_fails() {
        store.failing = true;
        RecordedTurn run = journals.open(request("m5", false));

        run.record(Kind.MODEL, "call lookup");
        store.failing = false;
        run.record(Kind.TOOL, "found");

        assertThat(store.recorded("c1", "m5")).as("nothing after a gap").isEmpty();
        assertThat(run.steps()).isEqualTo(2);
        assertThat(meters.counter("helpstream.journal.failures").count()).isEqualTo(1.0);
    }

    @Test
    void should_refuse_to_record_a_step_under_a_revoked_fence() {
        Fence fence = Fence.of("app/0_0", 1).attempt();
        RecordedTurn run = journals.open(new TurnRequest(List.of(message("m6")), conversation(), 1, false, fence));
        fence.revoke();

        assertThatThrownBy(() -> run.record(Kind.MODEL, "call lookup")).isInstanceOf(FencedException.class);
        assertThat(store.recorded("c1", "m6")).isEmpty();
    }

    @Test
    void should_remove_the_steps_of_answered_messages_once_the_retention_passed() {
        MutableClock clock = new MutableClock();
        TurnJournals swept = new TurnJournals(new InMemoryTurnJournal(clock), new JournalSettings(
                Duration.ofMinutes(1), Duration.ofHours(1)), meters);
        swept.open(request("m7", false)).record(Kind.MODEL, "answer");
        swept.open(request("m8", false)).record(Kind.MODEL, "answer, never marked");
        swept.answered(request("m7", false));

        assertThat(swept.sweep()).isZero();
        clock.now = clock.now.plus(Duration.ofMinutes(2));
        assertThat(swept.sweep()).isEqualTo(1);
        clock.now = clock.now.plus(Duration.ofHours(1));
        assertThat(swept.sweep()).as("past the maximum age").isEqualTo(1);
    }

    private static TurnRequest request(String messageId, boolean resumed) {
        return new TurnRequest(List.of(message(messageId)), conversation(), 1, resumed);
    }

    private static CustomerMessage message(String messageId) {
        return CustomerMessage.newBuilder().setMessageId(messageId).setConversationId("c1").setCustomerEmail(null)
                .setChannel("web").setText("hi").setSentAt(Instant.EPOCH).setMetadata(Map.of()).build();
    }

    private static ConversationState conversation() {
        return ConversationState.newBuilder().setConversationId("c1").setCustomer(null).setCreatedAt(Instant.EPOCH)
                .setLastActivityAt(Instant.EPOCH).setHistory(new ArrayList<>()).setContext(Map.of()).build();
    }

    private static final class MutableClock extends Clock {
        Instant now = Instant.parse("2026-01-01T00:00:00Z");

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    /** Counts reads; fails every call while {@code failing}. */
    private static final class CountingJournal implements TurnJournal {
        final AtomicInteger reads = new AtomicInteger();
        volatile boolean failing;
        private final TurnJournal journal;

        CountingJournal(TurnJournal journal) {
            this.journal = journal;
        }

        @Override
        public List<JournalEntry> recorded(String conversationId, String messageId) {
            check();
            reads.incrementAndGet();
            return journal.recorded(conversationId, messageId);
        }

        @Override
        public void record(JournalEntry entry, Fence fence) {
            check();
            journal.record(entry, fence);
        }

        @Override
        public void forgetFrom(String conversationId, String messageId, int step, Fence fence) {
            check();
            journal.forgetFrom(conversationId, messageId, step, fence);
        }

        @Override
        public void answered(Collection<MessageRef> messages) {
            journal.answered(messages);
        }

        @Override
        public int removeOld(Duration retention, Duration maxAge) {
            return journal.removeOld(retention, maxAge);
        }

        private void check() {
            if (failing) {
                throw new IllegalStateException("database down");
            }
        }
    }
}
