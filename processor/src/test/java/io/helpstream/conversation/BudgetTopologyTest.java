package io.helpstream.conversation;

import static org.assertj.core.api.Assertions.assertThat;

import io.helpstream.schema.AgentReply;
import io.helpstream.schema.AuditCategory;
import io.helpstream.schema.AuditRecord;
import io.helpstream.schema.TokenUsage;
import io.helpstream.security.Budgets;
import io.helpstream.turn.TurnOutcome;
import io.helpstream.turn.TurnRequest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The budgets the stream thread checks on arrival, each at its edge: past it a fixed reply, an audit, a metric. */
class BudgetTopologyTest {

    @TempDir
    Path stateDir;

    private final AtomicInteger turns = new AtomicInteger();

    private TurnOutcome spend600(TurnRequest request) {
        turns.incrementAndGet();
        return TurnOutcome.builder().replyText("echo " + request.message().getText()).model("fake")
                .usage(new TokenUsage(500, 100, 1)).build();
    }

    private static void assertRefused(TopologyHarness h, AgentReply reply, String budget) {
        assertThat(reply.getText()).isEqualTo(Budgets.REPLY);
        assertThat(reply.getModel()).isEqualTo("none");
        assertThat(h.audit.readValuesToList()).singleElement().satisfies(record -> {
            assertThat(record.getCategory()).isEqualTo(AuditCategory.BUDGET);
            assertThat(record.getAction()).isEqualTo(budget);
            assertThat(record.getMessageId()).isEqualTo(reply.getInReplyTo());
        });
        assertThat(h.registry.counter("helpstream.security.refusals", "category", "budget").count())
                .isEqualTo(1.0);
    }

    @Test
    void should_take_the_limit_of_messages_in_a_minute_refuse_one_more_and_take_messages_again_a_minute_later() {
        ConversationSettings settings = ConversationSettings.defaults()
                .withBudgets(Budgets.defaults().withMaxMessagesPerMinute(3));
        try (TopologyHarness h = new TopologyHarness(this::spend600, 2, settings, stateDir)) {
            for (int i = 1; i <= 4; i++) {
                h.send(TopologyHarness.message("c1", "m" + i, "hello " + i));
            }
            List<AgentReply> replies = h.awaitReplies(4);

            assertThat(replies.stream().filter(reply -> !reply.getText().equals(Budgets.REPLY))
                    .flatMap(reply -> TopologyHarness.answered(reply).stream())).containsExactly("m1", "m2", "m3");
            assertRefused(h, replies.stream().filter(r -> r.getInReplyTo().equals("m4")).findFirst().orElseThrow(),
                    "MESSAGES_PER_MINUTE");
            assertThat(h.seen("c1", "m4")).as("its redelivery is dropped").isTrue();

            h.advance(Duration.ofMinutes(1));
            h.send(TopologyHarness.message("c1", "m5", "back again"));
            List<AgentReply> after = h.awaitReplies(5);
            assertThat(after.get(after.size() - 1).getText()).isEqualTo("echo back again");
        }
    }

    @Test
    void should_refuse_the_first_message_once_the_conversation_spent_its_tokens_without_a_turn() {
        // The refusal alone: handing off on it is HandoffTopologyTest's.
        ConversationSettings settings = ConversationSettings.defaults()
                .withBudgets(Budgets.defaults().withMaxTokensPerConversation(1_200))
                .withHandoff(HandoffSettings.toolOnly());
        try (TopologyHarness h = new TopologyHarness(this::spend600, 2, settings, stateDir)) {
            h.send(TopologyHarness.message("c1", "m1", "one"));
            h.awaitReplies(1);
            h.send(TopologyHarness.message("c1", "m2", "two"));
            assertThat(h.awaitReplies(2).get(1).getText()).as("599 tokens left: still answered").isEqualTo("echo two");
            h.audit.readValuesToList();

            h.send(TopologyHarness.message("c1", "m3", "three"));
            List<AgentReply> replies = h.awaitReplies(3);

            assertRefused(h, replies.get(2), "TOKENS_PER_CONVERSATION");
            assertThat(turns.get()).isEqualTo(2);
            assertThat(h.store().load("c1").meta().getTokensUsed()).isEqualTo(1_200);
            List<AuditRecord> none = h.audit.readValuesToList();
            assertThat(none).isEmpty();
        }
    }
}
