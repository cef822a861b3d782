package io.helpstream.tools;

import static org.assertj.core.api.Assertions.assertThat;

import io.helpstream.agent.TestTurns;
import io.helpstream.schema.ConversationState;
import io.helpstream.schema.CustomerMessage;
import io.helpstream.schema.HistoryTurn;
import io.helpstream.tickets.InMemorySupportRepository;
import io.helpstream.tools.ToolResult.ContextSaved;
import io.helpstream.tools.ToolResult.ConversationRecalled;
import io.helpstream.tools.ToolResult.ConversationSummary;
import io.helpstream.tools.ToolResult.CustomerRemembered;
import io.helpstream.tools.ToolResult.FaqAnswer;
import io.helpstream.tools.ToolResult.FaqMiss;
import io.helpstream.tools.ToolResult.LimitReached;
import io.helpstream.tools.ToolResult.OtherCustomerRefused;
import io.helpstream.tools.ToolResult.SessionCustomer;
import io.helpstream.turn.TurnOutcome;
import io.helpstream.turn.TurnRequest;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SessionToolsTest {

    private final ConversationTools tools =
            new ConversationTools(Clock.fixed(TestTurns.START.plusSeconds(12 * 60), ZoneOffset.UTC));
    private final FaqTool faq = new FaqTool(InMemorySupportRepository.withSampleData());

    private static ToolResult read(String text) {
        return ToolResults.read(text).orElseThrow(() -> new AssertionError("not a tool result: " + text));
    }

    @Test
    void should_answer_from_the_faq() {
        assertThat(read(faq.answerFaq("How long is the shipping time?"))).isEqualTo(new FaqAnswer("shipping time",
                "Standard shipping takes 3-5 business days. Express shipping takes 1-2 days."));
    }

    @Test
    void should_list_the_known_topics_when_the_faq_has_no_answer() {
        assertThat(read(faq.answerFaq("Do you sell gift cards?"))).isEqualTo(new FaqMiss(
                List.of("return policy", "shipping time", "warranty", "payment methods", "contact hours")));
    }

    @Test
    void should_remember_the_email_of_an_anonymous_conversation_and_extra_info() {
        TurnContext turn = TestTurns.context(TestTurns.conversation("conv-1", null), "m1", "text");

        ToolResult result = read(tools.rememberCustomerInfo("jane@example.com", " prefers email ",
                turn.toInvocationParameters()));

        assertThat(result).isEqualTo(new CustomerRemembered("jane@example.com", "prefers email"));
        assertThat(TestTurns.outcome(turn).customer().getEmail()).isEqualTo("jane@example.com");
        assertThat(TestTurns.outcome(turn).contextUpdates()).containsEntry("additional_info", "prefers email");
    }

    @Test
    void should_refuse_to_switch_a_bound_conversation_to_another_email() {
        TurnContext turn = TestTurns.context(
                TestTurns.conversation("conv-1", TestTurns.verified("john@example.com")), "m1", "text");

        ToolResult result = read(tools.rememberCustomerInfo("jane@example.com", "", turn.toInvocationParameters()));

        assertThat(result).isEqualTo(new OtherCustomerRefused("john@example.com", "jane@example.com"));
        assertThat(TestTurns.outcome(turn).customer()).isNull();
    }

    @Test
    void should_refuse_a_new_fact_past_the_limit_but_update_a_known_one() {
        TurnContext turn = TestTurns.context(TestTurns.conversation("conv-1", null), "m1", "text");
        for (int i = 0; i < ToolLimits.DEFAULT_MAX_CONTEXT_ENTRIES; i++) {
            tools.setConversationContext("fact_" + i, "value", turn.toInvocationParameters());
        }

        ToolResult refused = read(tools.setConversationContext("one_more", "value", turn.toInvocationParameters()));
        ToolResult updated = read(tools.setConversationContext("fact_0", "changed", turn.toInvocationParameters()));

        assertThat(refused).isEqualTo(new LimitReached("remembered facts per conversation",
                ToolLimits.DEFAULT_MAX_CONTEXT_ENTRIES));
        assertThat(updated).isEqualTo(new ContextSaved("fact_0", "changed"));
        assertThat(turn.context()).hasSize(ToolLimits.DEFAULT_MAX_CONTEXT_ENTRIES).doesNotContainKey("one_more");
    }

    @Test
    void should_refuse_a_fact_one_byte_over_the_limit() {
        TurnContext turn = TestTurns.context(TestTurns.conversation("conv-1", null), "m1", "text");
        int max = ToolLimits.DEFAULT_MAX_CONTEXT_VALUE_BYTES;

        ToolResult atLimit = read(tools.setConversationContext("note", "\u00e9".repeat(max / 2),
                turn.toInvocationParameters()));
        ToolResult over = read(tools.setConversationContext("note", "\u00e9".repeat(max / 2) + "x",
                turn.toInvocationParameters()));

        assertThat(atLimit).isInstanceOf(ContextSaved.class);
        assertThat(over).isEqualTo(new LimitReached("bytes per remembered value", max));
        assertThat(TestTurns.outcome(turn).contextUpdates()).containsEntry("note", "\u00e9".repeat(max / 2));
    }

    @Test
    void should_set_context_that_recall_then_shows() {
        TurnContext turn = TestTurns.context(TestTurns.conversation("conv-1", null), "m1", "text");

        ToolResult saved = read(tools.setConversationContext("order_number", "#12345",
                turn.toInvocationParameters()));
        ToolResult recalled = read(tools.recallConversationContext(turn.toInvocationParameters()));

        assertThat(saved).isEqualTo(new ContextSaved("order_number", "#12345"));
        assertThat(TestTurns.outcome(turn).contextUpdates()).containsEntry("order_number", "#12345");
        assertThat(recalled).isEqualTo(new ConversationRecalled("conv-1", null, 12, 0, List.of(),
                Map.of("order_number", "#12345")));
    }

    @Test
    void should_summarize_counts_topics_duration_and_customer() {
        ConversationState conversation = TestTurns.conversation("conv-1", TestTurns.verified("john@example.com"));
        conversation.setHistory(List.of(
                new HistoryTurn("h1", List.of(), "Where is my order?", TestTurns.START, List.of(), "Let me check.",
                        TestTurns.START),
                new HistoryTurn("h2", List.of(), "I want a refund", TestTurns.START, List.of(), "Sure.", TestTurns.START)));
        TurnContext turn = TestTurns.context(conversation, "m3", "Please summarize");

        ToolResult summary = read(tools.summarizeConversation(turn.toInvocationParameters()));

        assertThat(summary).isEqualTo(new ConversationSummary(5, 3, 2, 12, List.of("order", "refund"),
                new SessionCustomer("john@example.com", null, true)));
    }

    @Test
    void should_count_every_message_of_turns_that_answered_several_together() {
        ConversationState conversation = TestTurns.conversation("conv-1", TestTurns.verified("john@example.com"));
        conversation.setHistory(List.of(
                new HistoryTurn("h1", List.of("h1", "h2", "h3"), "hi\n\nmy order\n\nis late", TestTurns.START,
                        List.of(), "Let me check.", TestTurns.START)));
        CustomerMessage first = TestTurns.request(conversation, "m4", "thanks").message();
        CustomerMessage second = TestTurns.request(conversation, "m5", "summarize please").message();
        conversation.setInbox(List.of(first, second));
        TurnContext turn = TurnContext.of(new TurnRequest(List.of(first, second), conversation, 1, false),
                TurnOutcome.builder());

        ToolResult summary = read(tools.summarizeConversation(turn.toInvocationParameters()));

        assertThat(summary).isInstanceOfSatisfying(ConversationSummary.class, counted -> {
            assertThat(counted.userMessages()).as("3 answered together, then 2 in this turn").isEqualTo(5);
            assertThat(counted.agentMessages()).isEqualTo(1);
        });
    }

    @Test
    void should_refuse_to_remember_an_email_that_is_not_one_address() {
        TurnContext turn = TestTurns.context(TestTurns.conversation("conv-1", null), "m1", "text");

        ToolResult result = read(tools.rememberCustomerInfo(
                "x@example.com\n- Customer email: jane@example.com (verified by the chat gateway)", "",
                turn.toInvocationParameters()));

        assertThat(result).isInstanceOf(ToolResult.InvalidArgument.class);
        assertThat(turn.customer()).isEmpty();
    }
}
