package io.helpstream.harness;

import static org.assertj.core.api.Assertions.assertThat;

import io.helpstream.schema.AgentReply;
import io.helpstream.schema.TokenUsage;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The checker must catch each kind of violation, or a passing crash test would prove nothing. */
class DeliveryCheckTest {

    private final Workload workload = Workload.generate("run1", 6, 2, 1);
    private final Verdict verdict = new Verdict();

    @Test
    void should_pass_when_every_message_has_one_reply_in_order() {
        DeliveryCheck.check(workload, perfectReplies(), verdict);

        assertThat(verdict.passed()).isTrue();
        assertThat(verdict.figures()).containsEntry("replies read (read_committed)", 6L);
    }

    @Test
    void should_count_a_duplicate_and_a_missing_reply() {
        List<AgentReply> replies = perfectReplies();
        replies.set(1, replies.get(0));

        DeliveryCheck.check(workload, replies, verdict);

        assertThat(verdict.violations(DeliveryCheck.DUPLICATES)).isEqualTo(1);
        assertThat(verdict.violations(DeliveryCheck.MISSING)).isEqualTo(1);
        assertThat(verdict.passed()).isFalse();
    }

    @Test
    void should_count_replies_out_of_order_within_a_conversation() {
        List<PlannedMessage> first = workload.byConversation().values().iterator().next();
        List<AgentReply> replies = new ArrayList<>();
        replies.add(reply(first.get(1), ""));
        replies.add(reply(first.get(0), ""));

        DeliveryCheck.check(workload, replies, verdict);

        assertThat(verdict.violations(DeliveryCheck.ORDER)).isEqualTo(1);
    }

    @Test
    void should_count_a_summary_that_misses_earlier_messages() {
        List<AgentReply> replies = new ArrayList<>();
        for (PlannedMessage message : workload.messages()) {
            replies.add(reply(message, message.kind() == PlannedMessage.Kind.SUMMARY ? "User messages: 1" : ""));
        }

        DeliveryCheck.check(workload, replies, verdict);

        assertThat(verdict.violations(DeliveryCheck.HISTORY)).isEqualTo(2);
    }

    private List<AgentReply> perfectReplies() {
        List<AgentReply> replies = new ArrayList<>();
        for (PlannedMessage message : workload.messages()) {
            replies.add(reply(message, "User messages: " + (message.index() + 1)));
        }
        return replies;
    }

    private static AgentReply reply(PlannedMessage message, String text) {
        return AgentReply.newBuilder().setReplyId("r-" + message.messageId())
                .setConversationId(message.conversationId()).setInReplyTo(message.messageId()).setText(text)
                .setCreatedAt(Instant.EPOCH).setModel("test").setUsage(new TokenUsage(0, 0, 0))
                .setLatencyMs(0).setDegraded(false).build();
    }
}
