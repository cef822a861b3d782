package io.helpstream.fencing.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.helpstream.fencing.Fence;
import io.helpstream.fencing.FencedException;
import io.helpstream.schema.TicketPriority;
import io.helpstream.schema.TicketStatus;
import io.helpstream.tickets.NewTicket;
import io.helpstream.tickets.postgres.PostgresSupportRepository;
import io.helpstream.tickets.postgres.PostgresTestDatabase;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.jdbi.v3.core.Handle;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The epochs in PostgreSQL, and the writes they refuse. */
class PostgresTaskFencesIT {

    @RegisterExtension
    static final PostgresTestDatabase DB = PostgresTestDatabase.withSampleData();

    private final PostgresSupportRepository repository = DB.repository();

    @Test
    void should_refuse_every_write_under_an_earlier_epoch_and_change_nothing() {
        Fence old = new PostgresTaskFences(DB.jdbi()).claim("app/0_1");
        Fence current = new PostgresTaskFences(DB.jdbi()).claim("app/0_1");

        assertThat(current.epoch()).isEqualTo(old.epoch() + 1);
        assertThat(old.revoked()).as("another process cannot be told").isFalse();
        assertThatThrownBy(() -> repository.createTicket(ticket("old owner"), "k-old-1", old))
                .isInstanceOf(FencedException.class).hasMessageContaining("is stale");
        assertThatThrownBy(() -> repository.escalate("TICK001", "old owner", "agent", "k-old-2", old))
                .isInstanceOf(FencedException.class);
        assertThatThrownBy(() -> repository.updateStatus("TICK002", TicketStatus.CLOSED, "agent", "old owner",
                "k-old-3", old)).isInstanceOf(FencedException.class);

        assertThat(count("SELECT count(*) FROM tickets WHERE subject = 'old owner'")).isZero();
        assertThat(count("SELECT count(*) FROM tool_idempotency WHERE key LIKE 'k-old-%'")).isZero();
        assertThat(repository.findTicket("TICK001").orElseThrow().priority()).isEqualTo(TicketPriority.HIGH);
        assertThat(repository.createTicket(ticket("new owner"), "k-new-1", current).changed()).isTrue();
    }

    @Test
    void should_make_a_claim_wait_for_a_write_still_running_under_the_old_epoch() throws Exception {
        Fence old = new PostgresTaskFences(DB.jdbi()).claim("app/0_2");
        CountDownLatch checked = new CountDownLatch(1);
        CountDownLatch commit = new CountDownLatch(1);
        CompletableFuture<Void> write = CompletableFuture.runAsync(() -> DB.jdbi().useTransaction(h -> {
            FenceCheck.verify(h, old);
            checked.countDown();
            await(commit);
            insertMarker(h);
        }));
        assertThat(checked.await(10, TimeUnit.SECONDS)).isTrue();

        CompletableFuture<Fence> claim = CompletableFuture.supplyAsync(
                () -> new PostgresTaskFences(DB.jdbi()).claim("app/0_2"));
        Thread.sleep(300);
        assertThat(claim).as("the claim waits for the write that holds the old epoch").isNotDone();
        commit.countDown();

        write.get(10, TimeUnit.SECONDS);
        assertThat(claim.get(10, TimeUnit.SECONDS).epoch()).isEqualTo(old.epoch() + 1);
        assertThat(count("SELECT count(*) FROM tickets WHERE subject = 'marker'")).isOne();
        assertThatThrownBy(() -> DB.jdbi().useTransaction(h -> FenceCheck.verify(h, old)))
                .isInstanceOf(FencedException.class);
    }

    @Test
    void should_revoke_the_fence_this_process_held_for_a_task_when_it_claims_the_task_again() {
        PostgresTaskFences fences = new PostgresTaskFences(DB.jdbi());
        Fence first = fences.claim("app/0_3");
        Fence attempt = first.attempt();

        Fence second = fences.claim("app/0_3");

        assertThat(first.revoked()).isTrue();
        assertThat(attempt.revoked()).isTrue();
        assertThat(second.revoked()).isFalse();
        assertThatThrownBy(attempt::check).isInstanceOf(FencedException.class).hasMessageContaining("was revoked");
    }

    @Test
    void should_let_writes_of_no_task_through_unchecked() {
        assertThat(repository.createTicket(ticket("no task"), "k-none-1", Fence.NONE).changed()).isTrue();
        Fence.NONE.revoke();
        assertThat(Fence.NONE.revoked()).isFalse();
    }

    private static NewTicket ticket(String subject) {
        return new NewTicket("CUST001", subject, "details", TicketPriority.MEDIUM);
    }

    private static void insertMarker(Handle h) {
        h.execute("INSERT INTO tickets (customer_id, subject) VALUES ('CUST001', 'marker')");
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static int count(String sql) {
        return DB.jdbi().withHandle(h -> h.createQuery(sql).mapTo(Integer.class).one());
    }
}
