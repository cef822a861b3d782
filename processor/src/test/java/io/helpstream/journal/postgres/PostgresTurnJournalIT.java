package io.helpstream.journal.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import io.helpstream.fencing.Fence;
import io.helpstream.fencing.FencedException;
import io.helpstream.fencing.postgres.PostgresTaskFences;
import io.helpstream.journal.JournalEntry;
import io.helpstream.journal.JournalEntry.Kind;
import io.helpstream.tickets.postgres.PostgresTestDatabase;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The journal's steps in PostgreSQL, written under the task's fence in one statement each. */
class PostgresTurnJournalIT {

    @RegisterExtension
    static final PostgresTestDatabase DB = PostgresTestDatabase.withSampleData();

    private final PostgresTurnJournal journal = new PostgresTurnJournal(DB.jdbi());
    private final PostgresTaskFences fences = new PostgresTaskFences(DB.jdbi());

    @Test
    void should_record_steps_under_the_current_epoch_and_replace_a_step_recorded_again() {
        Fence fence = fences.claim("journal/0_1");

        journal.record(step("c1", "m1", 1, Kind.MODEL, "first"), fence);
        journal.record(step("c1", "m1", 2, Kind.TOOL, "result"), fence);
        journal.record(step("c1", "m1", 1, Kind.MODEL, "second"), fence);

        assertThat(journal.recorded("c1", "m1")).extracting(JournalEntry::step, JournalEntry::payload)
                .containsExactly(tuple(1, "second"),
                        tuple(2, "result"));
        assertThat(epochOf("c1", "m1", 1)).isEqualTo(fence.epoch());
    }

    @Test
    void should_refuse_a_step_under_an_earlier_epoch_and_record_nothing() {
        Fence old = fences.claim("journal/0_2");
        journal.record(step("c2", "m1", 1, Kind.MODEL, "before the claim"), old);
        Fence current = new PostgresTaskFences(DB.jdbi()).claim("journal/0_2"); // another process: old stays unrevoked

        assertThatThrownBy(() -> journal.record(step("c2", "m1", 1, Kind.MODEL, "old owner"), old))
                .isInstanceOf(FencedException.class).hasMessageContaining("is stale")
                .hasMessageContaining("epoch " + current.epoch());
        assertThatThrownBy(() -> journal.record(step("c2", "m1", 2, Kind.TOOL, "old owner"), old))
                .isInstanceOf(FencedException.class);

        assertThat(journal.recorded("c2", "m1")).extracting(JournalEntry::payload).containsExactly("before the claim");
        journal.record(step("c2", "m1", 2, Kind.TOOL, "new owner"), current);
        assertThat(journal.recorded("c2", "m1")).extracting(JournalEntry::payload)
                .containsExactly("before the claim", "new owner");
    }

    @Test
    void should_refuse_a_step_of_a_task_never_claimed() {
        Fence unclaimed = Fence.of("journal/never-claimed", 1);

        assertThatThrownBy(() -> journal.record(step("c3", "m1", 1, Kind.MODEL, "x"), unclaimed))
                .isInstanceOf(FencedException.class).hasMessageContaining("epoch 0");
        assertThat(journal.recorded("c3", "m1")).isEmpty();
    }

    @Test
    void should_record_steps_of_no_task_unchecked_and_refuse_them_once_revoked() {
        Fence unscoped = Fence.unscoped();

        journal.record(step("c4", "m1", 1, Kind.MODEL, "no task"), unscoped);
        unscoped.revoke();

        assertThatThrownBy(() -> journal.record(step("c4", "m1", 2, Kind.TOOL, "revoked"), unscoped))
                .isInstanceOf(FencedException.class).hasMessageContaining("was revoked");
        assertThat(journal.recorded("c4", "m1")).extracting(JournalEntry::payload).containsExactly("no task");
        assertThat(epochOf("c4", "m1", 1)).isNull();
    }

    private static JournalEntry step(String conversation, String message, int step, Kind kind, String payload) {
        return new JournalEntry(conversation, message, step, kind, payload);
    }

    private static Long epochOf(String conversation, String message, int step) {
        List<Long> epochs = DB.jdbi().withHandle(h -> h.createQuery("SELECT fence_epoch FROM turn_journal"
                        + " WHERE conversation_id = :c AND message_id = :m AND step = :s")
                .bind("c", conversation).bind("m", message).bind("s", step).mapTo(Long.class).list());
        assertThat(epochs).hasSize(1);
        return epochs.get(0);
    }
}
