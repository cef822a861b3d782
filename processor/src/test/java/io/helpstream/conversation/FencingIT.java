package io.helpstream.conversation;

import static io.helpstream.conversation.TopologyHarness.message;
import static org.assertj.core.api.Assertions.assertThat;

import io.helpstream.fencing.TaskFences;
import io.helpstream.fencing.postgres.PostgresTaskFences;
import io.helpstream.schema.AgentReply;
import io.helpstream.schema.CustomerMessage;
import io.helpstream.schema.TokenUsage;
import io.helpstream.tickets.postgres.PostgresTestDatabase;
import io.helpstream.tools.CreateTicketTool;
import io.helpstream.tools.TurnContext;
import io.helpstream.turn.Agent;
import io.helpstream.turn.TurnOutcome;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A task that moves while one of its turns runs: the turn its earlier owner abandoned must not write once the new
 * owner has started, whether that owner is another instance (only PostgreSQL can tell the old turn) or a later life of
 * the task in this process (its fence is revoked here too).
 */
class FencingIT {

    @RegisterExtension
    static final PostgresTestDatabase DB = PostgresTestDatabase.withSampleData();

    @TempDir
    Path stateDir;

    /** The first owner's turn has begun (a turn cancelled before it begins never runs at all). */
    private static CountDownLatch running;

    @BeforeEach
    void newTurn() {
        running = new CountDownLatch(1);
    }

    @Test
    void should_refuse_the_ticket_of_a_turn_abandoned_by_an_owner_in_another_process() throws Exception {
        AtomicReference<Throwable> abandoned = new AtomicReference<>();
        CountDownLatch ownerMoved = new CountDownLatch(1);
        CountDownLatch done = new CountDownLatch(1);
        // Each harness claims through fences of its own, as two processes would: the old turn is never revoked here.
        TopologyHarness first = harness(ticketAfter(ownerMoved, abandoned, done), "first", null,
                new PostgresTaskFences(DB.jdbi()));
        try {
            first.send(johnSays("c1", "m1", "My printer is broken"));
            first.pumpUntil(() -> running.getCount() == 0);

            try (TopologyHarness second = harness(request -> reply("How can I help?"), "second",
                    RestoredStores.of(first).suppliers(ConversationSettings.DEFAULT_DEDUP_RETENTION),
                    new PostgresTaskFences(DB.jdbi()))) {
                List<AgentReply> replies = second.awaitReplies(1);

                ownerMoved.countDown();
                assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();

                assertThat(replies).singleElement().satisfies(reply -> assertThat(reply.getText())
                        .doesNotContain("TICK"));
                assertThat(ticketsFor("m1")).as("a ticket no reply mentions").isZero();
                assertThat(keysFor("m1")).as("no idempotency key claimed by the refused write").isZero();
                assertThat(abandoned.get()).hasMessageContaining("is stale");
            }
        } finally {
            ownerMoved.countDown();
            first.close();
        }
    }

    @Test
    void should_stop_a_turn_of_an_earlier_life_of_the_task_in_this_process_before_it_writes() throws Exception {
        AtomicReference<Throwable> abandoned = new AtomicReference<>();
        CountDownLatch ownerMoved = new CountDownLatch(1);
        CountDownLatch done = new CountDownLatch(1);
        TaskFences fences = new PostgresTaskFences(DB.jdbi());
        TopologyHarness first = harness(ticketAfter(ownerMoved, abandoned, done), "first", null, fences);
        try {
            first.send(johnSays("c2", "m2", "My printer is broken"));
            first.pumpUntil(() -> running.getCount() == 0);
            StoreSuppliers restored = RestoredStores.of(first).suppliers(ConversationSettings.DEFAULT_DEDUP_RETENTION);
            // The task closes (a rebalance took it); its turn runs on.
            first.driver.close();

            try (TopologyHarness second = harness(request -> reply("How can I help?"), "second", restored, fences)) {
                second.awaitReplies(1);

                ownerMoved.countDown();
                assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();

                assertThat(ticketsFor("m2")).isZero();
                assertThat(abandoned.get()).hasMessageContaining("was revoked");
            }
        } finally {
            ownerMoved.countDown();
            first.turns.close();
        }
    }

    private TopologyHarness harness(Agent agent, String name, StoreSuppliers restored, TaskFences fences) {
        ConversationSettings settings = ConversationTopologyTest.ONE_PER_TURN;
        return new TopologyHarness(agent, 2, settings, stateDir.resolve(name),
                restored == null ? StoreSuppliers.persistent(settings.dedupRetention()) : restored,
                settings.turnTimeout(), fences);
    }

    /**
     * A turn that says it runs, waits until its task has moved, then opens a ticket for the message; keeps why it
     * failed.
     */
    private static Agent ticketAfter(CountDownLatch ownerMoved, AtomicReference<Throwable> failure,
                                     CountDownLatch done) {
        CreateTicketTool create = new CreateTicketTool(DB.repository());
        return request -> {
            try {
                running.countDown();
                ownerMoved.await();
                TurnContext turn = TurnContext.of(request, TurnOutcome.builder());
                String result = create.createTicket("Printer broken " + request.messageId(), request.userText(),
                        "medium", turn.toInvocationParameters());
                return turn.outcome().replyText(result).model("fake").usage(new TokenUsage(1, 1, 1)).build();
            } catch (RuntimeException e) {
                failure.set(e);
                throw e;
            } finally {
                done.countDown();
            }
        };
    }

    private static TurnOutcome reply(String text) {
        return TurnOutcome.builder().replyText(text).model("fake").usage(new TokenUsage(1, 1, 1)).build();
    }

    private static CustomerMessage johnSays(String conversationId, String messageId, String text) {
        return CustomerMessage.newBuilder(message(conversationId, messageId, text))
                .setCustomerEmail("john@example.com").build();
    }

    private static int ticketsFor(String messageId) {
        return DB.jdbi().withHandle(h -> h.createQuery("SELECT count(*) FROM tickets WHERE subject LIKE :tag")
                .bind("tag", "% " + messageId).mapTo(Integer.class).one());
    }

    private static int keysFor(String messageId) {
        return DB.jdbi().withHandle(h -> h.createQuery("SELECT count(*) FROM tool_idempotency WHERE key LIKE :m")
                .bind("m", messageId + "/%").mapTo(Integer.class).one());
    }
}
