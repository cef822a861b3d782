package io.helpstream.tickets.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.helpstream.schema.TicketPriority;
import io.helpstream.schema.TicketStatus;
import io.helpstream.tickets.NewTicket;
import io.helpstream.tickets.RecordedTicketChange;
import io.helpstream.tickets.TicketChange;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class IdempotencyIT {

    @RegisterExtension
    static final PostgresTestDatabase DB = PostgresTestDatabase.withSampleData();

    private final PostgresSupportRepository repository = DB.repository();

    @Test
    void should_return_existing_ticket_when_key_is_replayed() {
        String key = key();
        NewTicket request = new NewTicket("CUST001", "Screen flickers", "Since the update", TicketPriority.HIGH);

        TicketChange first = repository.createTicket(request, key);
        TicketChange second = repository.createTicket(request, key);

        assertThat(first.replayed()).isFalse();
        assertThat(second.replayed()).isTrue();
        assertThat(second.ticket()).isEqualTo(first.ticket());
        assertThat(second.changed()).isEqualTo(first.changed());
        assertThat(second.at()).isEqualTo(first.at());
        assertThat(second.customerEmail()).isEqualTo("john@example.com");
        assertThat(ticketsWithSubject("Screen flickers")).isEqualTo(1);
    }

    @Test
    void should_never_hand_a_ticket_of_one_customer_to_another_through_a_reused_key() {
        String key = "reused_" + UUID.randomUUID() + "/createTicket/1";
        TicketChange johns = repository.createTicket(
                new NewTicket("CUST001", "John's laptop", "Only John may see this", TicketPriority.LOW), key);

        assertThatThrownBy(() -> repository.createTicket(
                new NewTicket("CUST002", "Jane's laptop", "Jane's own problem", TicketPriority.LOW), key))
                .hasMessageContaining("another customer");
        assertThat(repository.createTicket(
                new NewTicket("CUST001", "John's laptop", "Only John may see this", TicketPriority.LOW), key)
                .ticket()).as("the owner's replay still gets the ticket back").isEqualTo(johns.ticket());
    }

    @Test
    void should_record_each_change_of_a_message_with_the_ticket_as_it_was_right_after() {
        String message = "msg_" + UUID.randomUUID();
        TicketChange created = repository.createTicket(
                new NewTicket("CUST002", "Recorded", "Recorded changes", TicketPriority.LOW), message + "/createTicket/1");
        String id = created.ticket().id();
        repository.escalate(id, "slow", message + "/escalateTicket/1");
        repository.updateStatus(id, TicketStatus.RESOLVED, "AI_Agent_001", "done", message + "/updateTicketStatus/1");
        repository.updateStatus(id, TicketStatus.RESOLVED, "AI_Agent_001", "again", message + "/updateTicketStatus/2");
        // A message id with LIKE wildcards must match only itself.
        repository.escalate(id, "other", message.replace("_", "x") + "/escalateTicket/1");

        List<RecordedTicketChange> recorded = repository.changesRecordedUnder(message + "/");

        assertThat(recorded).extracting(RecordedTicketChange::idempotencyKey).containsExactly(
                message + "/createTicket/1", message + "/escalateTicket/1", message + "/updateTicketStatus/1");
        assertThat(recorded).extracting(RecordedTicketChange::type).containsExactly(
                io.helpstream.schema.TicketEventType.CREATED, io.helpstream.schema.TicketEventType.PRIORITY_CHANGED,
                io.helpstream.schema.TicketEventType.STATUS_CHANGED);
        assertThat(recorded).extracting(RecordedTicketChange::priority)
                .containsExactly(TicketPriority.LOW, TicketPriority.MEDIUM, TicketPriority.MEDIUM);
        assertThat(recorded).extracting(RecordedTicketChange::status)
                .containsExactly(TicketStatus.OPEN, TicketStatus.OPEN, TicketStatus.RESOLVED);
        assertThat(recorded).allSatisfy(change -> {
            assertThat(change.ticketId()).isEqualTo(id);
            assertThat(change.customerId()).isEqualTo("CUST002");
            assertThat(change.subject()).isEqualTo("Recorded");
        });
    }

    @Test
    void should_apply_a_replayed_status_update_once_and_return_the_current_ticket() {
        String ticketId = newTicket("Status replay");
        String key = key();

        TicketChange first = repository.updateStatus(ticketId, TicketStatus.RESOLVED, "agent-1", "Fixed", key)
                .orElseThrow();
        repository.updateStatus(ticketId, TicketStatus.CLOSED, "agent-2", null, key());
        TicketChange replay = repository.updateStatus(ticketId, TicketStatus.RESOLVED, "agent-1", "Fixed", key)
                .orElseThrow();

        assertThat(replay.replayed()).isTrue();
        assertThat(replay.changed()).isTrue();
        assertThat(replay.at()).isEqualTo(first.at());
        assertThat(replay.ticket().status()).isEqualTo(TicketStatus.CLOSED);
        assertThat(noteCount(ticketId)).isEqualTo(1);
    }

    @Test
    void should_escalate_once_when_the_escalation_is_replayed() {
        String ticketId = newTicket("Escalation replay");
        String key = key();

        repository.escalate(ticketId, "Slow", key);
        TicketChange replay = repository.escalate(ticketId, "Slow", key).orElseThrow();

        assertThat(replay.replayed()).isTrue();
        assertThat(replay.ticket().priority()).isEqualTo(TicketPriority.MEDIUM);
        assertThat(noteCount(ticketId)).isEqualTo(1);
    }

    @Test
    void should_refuse_a_key_already_used_for_another_ticket() {
        String key = key();
        String first = newTicket("Key owner");
        String other = newTicket("Key thief");
        repository.escalate(first, "r", key);

        assertThatThrownBy(() -> repository.escalate(other, "r", key))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(first);
        assertThat(repository.findTicket(other).orElseThrow().priority()).isEqualTo(TicketPriority.LOW);
    }

    @Test
    void should_create_exactly_one_ticket_when_sixteen_threads_race_with_one_key() throws Exception {
        String key = key();
        NewTicket request = new NewTicket("CUST002", "Racing request", "Same tool call, many retries",
                TicketPriority.MEDIUM);
        CountDownLatch start = new CountDownLatch(1);

        List<TicketChange> changes = runConcurrently(16, 16, i -> () -> {
            start.await();
            return repository.createTicket(request, key);
        }, start);

        assertThat(changes).extracting(c -> c.ticket().id()).containsOnly(changes.get(0).ticket().id());
        assertThat(changes).filteredOn(c -> !c.replayed()).hasSize(1);
        assertThat(ticketsWithSubject("Racing request")).isEqualTo(1);
    }

    @Test
    void should_give_500_tickets_created_from_8_threads_500_distinct_ids() throws Exception {
        CountDownLatch start = new CountDownLatch(1);

        List<TicketChange> changes = runConcurrently(8, 500, i -> () -> {
            start.await();
            return repository.createTicket(
                    new NewTicket("CUST003", "Bulk " + i, "Load", TicketPriority.LOW), key());
        }, start);

        Set<String> ids = changes.stream().map(c -> c.ticket().id()).collect(Collectors.toSet());
        assertThat(ids).hasSize(500).allMatch(id -> id.matches("TICK-\\d{6,}"));
        assertThat(changes).noneMatch(TicketChange::replayed);
        int stored = DB.jdbi().withHandle(h -> h.createQuery(
                "SELECT count(DISTINCT id) FROM tickets WHERE subject LIKE 'Bulk %'").mapTo(Integer.class).one());
        assertThat(stored).isEqualTo(500);
    }

    private interface Task {
        Callable<TicketChange> create(int index);
    }

    private static List<TicketChange> runConcurrently(int threads, int tasks, Task task, CountDownLatch start)
            throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<TicketChange>> futures = new ArrayList<>();
            IntStream.range(0, tasks).forEach(i -> futures.add(pool.submit(task.create(i))));
            start.countDown();
            List<TicketChange> results = new ArrayList<>();
            for (Future<TicketChange> future : futures) {
                results.add(future.get(2, TimeUnit.MINUTES));
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }

    private String newTicket(String subject) {
        return repository.createTicket(new NewTicket("CUST001", subject, "d", TicketPriority.LOW), key())
                .ticket().id();
    }

    private static int ticketsWithSubject(String subject) {
        return DB.jdbi().withHandle(h -> h.createQuery("SELECT count(*) FROM tickets WHERE subject = :subject")
                .bind("subject", subject).mapTo(Integer.class).one());
    }

    private static int noteCount(String ticketId) {
        return DB.jdbi().withHandle(h -> h.createQuery("SELECT count(*) FROM ticket_notes WHERE ticket_id = :id")
                .bind("id", ticketId).mapTo(Integer.class).one());
    }

    private static String key() {
        return UUID.randomUUID().toString();
    }
}
