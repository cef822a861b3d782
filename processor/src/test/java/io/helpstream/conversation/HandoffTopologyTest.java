package io.helpstream.conversation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.helpstream.agent.FailingSupportRepository;
import io.helpstream.contract.ConversationStores;
import io.helpstream.contract.Replies;
import io.helpstream.schema.AgentAction;
import io.helpstream.schema.AgentActionType;
import io.helpstream.schema.AgentReply;
import io.helpstream.schema.ConversationMode;
import io.helpstream.schema.CustomerBinding;
import io.helpstream.schema.CustomerMessage;
import io.helpstream.schema.EndCause;
import io.helpstream.schema.HandoffEvent;
import io.helpstream.schema.HandoffEventType;
import io.helpstream.schema.HandoffTrigger;
import io.helpstream.schema.HistoryTurn;
import io.helpstream.schema.ReplyAuthor;
import io.helpstream.schema.TicketEventType;
import io.helpstream.schema.TrustLevel;
import io.helpstream.security.AuditRecords;
import io.helpstream.security.Budgets;
import io.helpstream.security.VerificationSettings;
import io.helpstream.tickets.InMemorySupportRepository;
import io.helpstream.turn.TurnOutcome;
import io.helpstream.turn.TurnRequest;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Predicate;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Human handoff through the whole topology: each trigger, each mode change with the reply and the event that announce
 * it, each kind of rejected action, redelivered actions, messages while handed off, and the timeout's policies.
 */
class HandoffTopologyTest {

    private static final Instant AT = Instant.parse("2026-01-01T00:00:00Z");

    @TempDir
    Path stateDir;

    private final AtomicInteger turns = new AtomicInteger();
    private Function<TurnRequest, TurnOutcome> script = HandoffTopologyTest::echo;
    private TopologyHarness h;
    private final List<AgentReply> replies = new ArrayList<>();
    private final List<HandoffEvent> events = new ArrayList<>();

    private static TurnOutcome echo(TurnRequest request) {
        return TurnOutcome.builder().replyText("echo " + request.userText()).model("fake").build();
    }

    private TurnOutcome respond(TurnRequest request) {
        turns.incrementAndGet();
        return script.apply(request);
    }

    private TopologyHarness start(ConversationSettings settings) {
        h = new TopologyHarness(this::respond, 2, settings, stateDir);
        return h;
    }

    private TopologyHarness start() {
        return start(ConversationSettings.defaults());
    }

    @AfterEach
    void stop() {
        if (h != null) {
            h.close();
        }
    }

    private List<AgentReply> replies() {
        replies.addAll(h.replies.readValuesToList());
        return replies;
    }

    private List<HandoffEvent> events() {
        events.addAll(h.handoffs.readValuesToList());
        return events;
    }

    private AgentReply awaitReply(Predicate<AgentReply> wanted) {
        h.pumpUntil(() -> replies().stream().anyMatch(wanted));
        return replies().stream().filter(wanted).findFirst().orElseThrow();
    }

    private AgentReply replyTo(String inReplyTo) {
        return awaitReply(reply -> reply.getInReplyTo().equals(inReplyTo));
    }

    private HandoffEvent event(HandoffEventType type) {
        h.pumpUntil(() -> events().stream().anyMatch(event -> event.getType() == type));
        List<HandoffEvent> found = events().stream().filter(event -> event.getType() == type).toList();
        assertThat(found).as("one " + type + " event").hasSize(1);
        return found.get(0);
    }

    private void say(String messageId, String text) {
        h.send(TopologyHarness.message("c1", messageId, text));
    }

    private static AgentAction action(String actionId, String agent, AgentActionType type, String text) {
        return AgentAction.newBuilder().setActionId(actionId).setConversationId("c1").setAgentId(agent)
                .setType(type).setText(text).setSentAt(AT).build();
    }

    private void act(String actionId, String agent, AgentActionType type, String text) {
        h.actions.pipeInput("c1", action(actionId, agent, type, text));
    }

    private ConversationMode mode() {
        return h.store().load("c1").meta().getMode();
    }

    /** The conversation asks for a person and waits for a human. */
    private void handedOff() {
        say("m1", "I want to talk to a human please");
        event(HandoffEventType.REQUESTED);
    }

    @Test
    void should_hand_off_at_once_when_the_customer_asks_for_a_person_with_the_reply_that_says_so() {
        start();
        handedOff();

        AgentReply reply = replyTo("m1");
        assertThat(reply.getText()).isEqualTo(Handoffs.REQUESTED);
        assertThat(reply.getAuthor()).isEqualTo(ReplyAuthor.BOT);
        HandoffEvent requested = event(HandoffEventType.REQUESTED);
        assertThat(requested.getTrigger()).isEqualTo(HandoffTrigger.CUSTOMER_ASKED);
        assertThat(requested.getMode()).isEqualTo(ConversationMode.WAITING_FOR_HUMAN);
        assertThat(requested.getRequestedAt()).isEqualTo(requested.getAt());
        assertThat(requested.getTrust()).isEqualTo(TrustLevel.NONE);
        assertThat(turns.get()).as("no model saw the message").isZero();
        assertThat(mode()).isEqualTo(ConversationMode.WAITING_FOR_HUMAN);
        assertThat(h.state("c1").getHistory()).extracting(HistoryTurn::getReplyText).containsExactly(Handoffs.REQUESTED);
    }

    @Test
    void should_let_the_bot_answer_a_request_for_a_person_when_that_trigger_is_off() {
        start(ConversationSettings.defaults().withHandoff(HandoffSettings.toolOnly()));
        say("m1", "I want to talk to a human please");

        assertThat(replyTo("m1").getText()).isEqualTo("echo I want to talk to a human please");
        assertThat(events()).isEmpty();
        assertThat(mode()).isEqualTo(ConversationMode.BOT);
    }

    @Test
    void should_hand_off_when_the_agent_calls_the_tool_with_its_reason_and_summary() {
        script = request -> TurnOutcome.builder().replyText("A colleague will take over.").model("fake")
                .handoff(new TurnOutcome.HandoffRequest("refund over the limit", "Wants 500 EUR back")).build();
        start();
        say("m1", "refund my order");

        assertThat(replyTo("m1").getText()).as("the model announced it").isEqualTo("A colleague will take over.");
        HandoffEvent requested = event(HandoffEventType.REQUESTED);
        assertThat(requested.getTrigger()).isEqualTo(HandoffTrigger.AGENT_TOOL);
        assertThat(requested.getReason()).isEqualTo("refund over the limit");
        assertThat(requested.getSummary()).isEqualTo("Wants 500 EUR back");
        assertThat(mode()).isEqualTo(ConversationMode.WAITING_FOR_HUMAN);
    }

    @Test
    void should_ignore_the_tool_when_it_is_switched_off() {
        script = request -> TurnOutcome.builder().replyText("ok").model("fake")
                .handoff(new TurnOutcome.HandoffRequest("why", "summary")).build();
        start(ConversationSettings.defaults().withHandoff(HandoffSettings.defaults().withTool(false)));
        say("m1", "refund my order");
        replyTo("m1");

        assertThat(events()).isEmpty();
        assertThat(mode()).isEqualTo(ConversationMode.BOT);
    }

    @Test
    void should_hand_off_after_the_set_number_of_degraded_turns_in_a_row_and_count_afresh_after_a_good_one() {
        script = request -> request.userText().startsWith("good") ? echo(request)
                : TurnOutcome.builder().replyText("fallback").model("offline").degraded(true).build();
        start(ConversationSettings.defaults().withHandoff(HandoffSettings.defaults().withTriggers(true, 2, true,
                true)));
        say("m1", "bad one");
        replyTo("m1");
        say("m2", "good one");
        replyTo("m2");
        say("m3", "bad two");
        replyTo("m3");
        assertThat(events()).as("one degraded turn since the good one").isEmpty();

        say("m4", "bad three");
        AgentReply fourth = replyTo("m4");

        assertThat(fourth.getText()).isEqualTo("fallback\n\n" + Handoffs.REQUESTED);
        assertThat(event(HandoffEventType.REQUESTED).getTrigger()).isEqualTo(HandoffTrigger.FAILED_TURNS);
    }

    @Test
    void should_hand_off_when_a_token_budget_refuses_a_message_on_arrival() {
        script = request -> TurnOutcome.builder().replyText("echo").model("fake")
                .usage(new io.helpstream.schema.TokenUsage(500, 100, 1)).build();
        start(ConversationSettings.defaults().withBudgets(Budgets.defaults().withMaxTokensPerConversation(600)));
        say("m1", "one");
        replyTo("m1");
        say("m2", "two");

        assertThat(replyTo("m2").getText()).isEqualTo(Budgets.REPLY + "\n\n" + Handoffs.REQUESTED);
        assertThat(event(HandoffEventType.REQUESTED).getTrigger()).isEqualTo(HandoffTrigger.BUDGET_REFUSED);
        assertThat(mode()).isEqualTo(ConversationMode.WAITING_FOR_HUMAN);
    }

    @Test
    void should_not_hand_off_a_flood_the_messages_per_minute_refuse() {
        start(ConversationSettings.defaults().withBudgets(Budgets.defaults().withMaxMessagesPerMinute(1)));
        say("m1", "one");
        replyTo("m1");
        say("m2", "two");

        assertThat(replyTo("m2").getText()).isEqualTo(Budgets.REPLY);
        assertThat(events()).isEmpty();
        assertThat(mode()).isEqualTo(ConversationMode.BOT);
    }

    @Test
    void should_hand_off_when_a_budget_refuses_inside_a_turn() {
        script = request -> TurnOutcome.builder().replyText(Budgets.REPLY).model("none")
                .audit(AuditRecords.budget("c1", request.messageId(), null,
                        Budgets.Kind.TOKENS_PER_CUSTOMER_PER_DAY, AT)).build();
        start();
        say("m1", "hello");
        replyTo("m1");

        assertThat(event(HandoffEventType.REQUESTED).getTrigger()).isEqualTo(HandoffTrigger.BUDGET_REFUSED);
    }

    @Test
    void should_hand_off_when_a_wrong_code_uses_up_the_verification_attempts() {
        script = request -> request.userText().startsWith("I'm")
                ? TurnOutcome.builder().replyText("code sent").model("fake")
                        .customer(new CustomerBinding("jane@example.com", null, null, false))
                        .verificationStart(new TurnOutcome.VerificationStart("jane@example.com", "CUST002")).build()
                : TurnOutcome.builder().replyText("wrong code").model("fake")
                        .codeAttempt(new TurnOutcome.CodeAttempt("000000", AT.plusSeconds(1))).build();
        start(ConversationSettings.defaults().withVerification(new VerificationSettings(1, Duration.ofMinutes(10))));
        say("m1", "I'm jane@example.com");
        replyTo("m1");
        assertThat(events()).isEmpty();
        say("m2", "my code is 000000");

        assertThat(replyTo("m2").getText()).endsWith(Handoffs.REQUESTED);
        HandoffEvent requested = event(HandoffEventType.REQUESTED);
        assertThat(requested.getTrigger()).isEqualTo(HandoffTrigger.VERIFICATION_FAILED);
        assertThat(requested.getTrust()).isEqualTo(TrustLevel.CLAIMED);
        assertThat(requested.getCustomerEmail()).isEqualTo("jane@example.com");
        assertThat(requested.getCustomerId()).as("a claim names no customer id").isNull();
    }

    @Test
    void should_publish_each_message_while_handed_off_run_no_turn_and_drop_a_redelivery() {
        start();
        handedOff();
        say("m2", "hello? anyone?");
        say("m2", "hello? anyone?");
        h.advance(Duration.ofSeconds(1));

        List<HandoffEvent> messages = events().stream()
                .filter(event -> event.getType() == HandoffEventType.CUSTOMER_MESSAGE).toList();
        assertThat(messages).singleElement().satisfies(event -> {
            assertThat(event.getMessageId()).isEqualTo("m2");
            assertThat(event.getText()).isEqualTo("hello? anyone?");
            assertThat(event.getMode()).isEqualTo(ConversationMode.WAITING_FOR_HUMAN);
        });
        assertThat(replies()).extracting(AgentReply::getInReplyTo).containsExactly("m1");
        assertThat(turns.get()).isZero();
    }

    @Test
    void should_go_through_every_mode_and_let_the_bot_answer_what_waited_once_released() {
        start();
        handedOff();
        act("a1", "alice", AgentActionType.ACCEPT, null);

        assertThat(replyTo("a1").getText()).isEqualTo(Handoffs.ACCEPTED);
        HandoffEvent accepted = event(HandoffEventType.ACCEPTED);
        assertThat(accepted.getMode()).isEqualTo(ConversationMode.HUMAN);
        assertThat(accepted.getAgentId()).isEqualTo("alice");
        assertThat(accepted.getRequestedAt()).isNotNull();
        assertThat(mode()).isEqualTo(ConversationMode.HUMAN);

        say("m2", "my parcel is lost");
        act("a2", "alice", AgentActionType.REPLY, "I have sent a new one.");
        AgentReply human = replyTo("a2");
        assertThat(human.getAuthor()).isEqualTo(ReplyAuthor.HUMAN);
        assertThat(human.getAgentId()).isEqualTo("alice");
        assertThat(human.getText()).isEqualTo("I have sent a new one.");
        assertThat(human.getAnswers()).as("it names the message it answers").containsExactly("m2");
        assertThat(event(HandoffEventType.HUMAN_REPLY).getMessageId()).isEqualTo(human.getReplyId());
        List<HistoryTurn> history = h.state("c1").getHistory();
        assertThat(history.get(history.size() - 1).getUserText()).isEqualTo("my parcel is lost");
        assertThat(history.get(history.size() - 1).getReplyText()).contains("alice", "I have sent a new one.");
        assertThat(h.state("c1").getInbox()).as("the human answered it").isEmpty();

        say("m3", "thanks, one more thing");
        act("a3", "alice", AgentActionType.RELEASE, null);
        assertThat(replyTo("a3").getText()).isEqualTo(Handoffs.RELEASED);
        assertThat(event(HandoffEventType.RELEASED).getMode()).isEqualTo(ConversationMode.BOT);

        assertThat(replyTo("m3").getText()).as("the bot answers what waited").isEqualTo("echo thanks, one more thing");
        assertThat(mode()).isEqualTo(ConversationMode.BOT);
        say("m4", "and now?");
        assertThat(replyTo("m4").getText()).isEqualTo("echo and now?");
    }

    @Test
    void should_keep_a_note_from_the_customer_and_never_reply_to_it() {
        start();
        handedOff();
        act("a1", "alice", AgentActionType.NOTE, "VIP, be nice");

        HandoffEvent note = event(HandoffEventType.NOTE);
        assertThat(note.getText()).isEqualTo("VIP, be nice");
        assertThat(note.getAgentId()).isEqualTo("alice");
        assertThat(replies()).extracting(AgentReply::getInReplyTo).containsExactly("m1");
    }

    @Test
    void should_end_the_conversation_as_an_idle_one_ends() {
        start();
        handedOff();
        act("a1", "alice", AgentActionType.ACCEPT, null);
        act("a2", "alice", AgentActionType.END, null);

        assertThat(replyTo("a2").getText()).isEqualTo(Handoffs.ENDED);
        assertThat(event(HandoffEventType.ENDED).getAgentId()).isEqualTo("alice");
        assertThat(h.conversationEvents.readValuesToList()).singleElement().satisfies(ended -> {
            assertThat(ended.getConversationId()).isEqualTo("c1");
            assertThat(ended.getCause()).isEqualTo(EndCause.AGENT_ENDED);
            assertThat(ended.getAgentId()).isEqualTo("alice");
        });
        assertThat(h.state("c1")).isNull();
    }

    @Test
    void should_reject_each_action_that_does_not_apply_with_its_reason() {
        start();
        act("a0", "alice", AgentActionType.ACCEPT, null);
        assertThat(event(HandoffEventType.ACTION_REJECTED).getReason()).contains("no such conversation");
        events.clear();

        say("m1", "hello");
        replyTo("m1");
        act("a1", "alice", AgentActionType.REPLY, "hi");
        assertThat(event(HandoffEventType.ACTION_REJECTED).getReason()).contains("not handed off");
        events.clear();

        say("m2", "let me speak to a real person");
        event(HandoffEventType.REQUESTED);
        act("a2", "alice", AgentActionType.REPLY, "hi");
        assertThat(event(HandoffEventType.ACTION_REJECTED).getReason()).contains("ACCEPT it before replying");
        events.clear();

        act("a3", "alice", AgentActionType.ACCEPT, null);
        act("a4", "bob", AgentActionType.ACCEPT, null);
        assertThat(event(HandoffEventType.ACTION_REJECTED).getReason()).contains("already accepted by agent alice");
        events.clear();
        act("a5", "bob", AgentActionType.RELEASE, null);
        HandoffEvent held = event(HandoffEventType.ACTION_REJECTED);
        assertThat(held.getReason()).contains("held by agent alice");
        assertThat(held.getAgentId()).isEqualTo("bob");
        assertThat(held.getActionId()).isEqualTo("a5");
        events.clear();
        act("a6", "alice", AgentActionType.REPLY, "   ");
        assertThat(event(HandoffEventType.ACTION_REJECTED).getReason()).contains("needs text");
        events.clear();
        act("a7", "alice", AgentActionType.UNKNOWN, null);
        assertThat(event(HandoffEventType.ACTION_REJECTED).getReason()).contains("unknown action type");

        assertThat(mode()).as("nothing changed").isEqualTo(ConversationMode.HUMAN);
        assertThat(h.store().load("c1").meta().getHandoffAgentId()).isEqualTo("alice");
        assertThat(replies()).extracting(AgentReply::getInReplyTo).doesNotContain("a1", "a2", "a4", "a5", "a6", "a7");
    }

    @Test
    void should_reject_an_action_on_a_conversation_whose_state_cannot_be_read() {
        start();
        KeyValueStore<String, byte[]> meta = h.driver.getKeyValueStore(ConversationStores.META);
        meta.put("c1", new byte[] {1, 2, 3});
        act("a1", "alice", AgentActionType.ACCEPT, null);

        assertThat(event(HandoffEventType.ACTION_REJECTED).getReason()).contains("cannot be read");
    }

    @Test
    void should_dead_letter_a_malformed_action_and_go_on_with_the_next() {
        start();
        handedOff();
        h.actions.pipeInput("c1", action("", "alice", AgentActionType.ACCEPT, null));
        h.actions.pipeInput("other", action("a1", "alice", AgentActionType.ACCEPT, null));
        h.rawActions.pipeInput("c1", new byte[] {9, 9, 9});
        act("a2", "alice", AgentActionType.ACCEPT, null);

        assertThat(h.deadLetters.readRecordsToList()).hasSize(3).allSatisfy(dead -> assertThat(new String(
                dead.getHeaders().lastHeader(DeadLetters.RECORD).value())).isEqualTo(DeadLetters.AGENT_ACTION));
        assertThat(event(HandoffEventType.ACCEPTED).getActionId()).isEqualTo("a2");
    }

    @Test
    void should_apply_a_redelivered_action_once() {
        start();
        handedOff();
        act("a1", "alice", AgentActionType.ACCEPT, null);
        act("a2", "alice", AgentActionType.REPLY, "hello from alice");
        act("a2", "alice", AgentActionType.REPLY, "hello from alice");
        act("a1", "alice", AgentActionType.ACCEPT, null);

        assertThat(replies()).filteredOn(reply -> reply.getAuthor() == ReplyAuthor.HUMAN).hasSize(1);
        assertThat(events()).extracting(HandoffEvent::getType).containsExactly(HandoffEventType.REQUESTED,
                HandoffEventType.ACCEPTED, HandoffEventType.HUMAN_REPLY);
    }

    @Test
    void should_tell_the_customer_and_keep_waiting_with_the_timer_restarted_when_nobody_accepts() {
        start(ConversationSettings.defaults().withIdleTimeout(Duration.ofHours(1), Duration.ofSeconds(1))
                .withHandoff(HandoffSettings.defaults().withTimeout(Duration.ofSeconds(30),
                        HandoffSettings.TimeoutPolicy.KEEP_WAITING)));
        handedOff();
        h.advance(Duration.ofSeconds(20));
        assertThat(events()).extracting(HandoffEvent::getType).containsExactly(HandoffEventType.REQUESTED);

        h.advance(Duration.ofSeconds(11));
        HandoffEvent timedOut = event(HandoffEventType.TIMED_OUT);
        assertThat(timedOut.getMode()).isEqualTo(ConversationMode.WAITING_FOR_HUMAN);
        assertThat(replyTo(timedOut.getEventId()).getText()).isEqualTo(Handoffs.STILL_WAITING);
        assertThat(mode()).isEqualTo(ConversationMode.WAITING_FOR_HUMAN);

        h.advance(Duration.ofSeconds(31));
        h.advance(Duration.ofSeconds(1));
        assertThat(events()).filteredOn(event -> event.getType() == HandoffEventType.TIMED_OUT)
                .as("the timer started again").hasSize(2);
    }

    @Test
    void should_return_to_the_bot_and_answer_what_waited_when_nobody_accepts_under_that_policy() {
        start(ConversationSettings.defaults().withIdleTimeout(Duration.ofHours(1), Duration.ofSeconds(1))
                .withHandoff(HandoffSettings.defaults().withTimeout(Duration.ofSeconds(30),
                        HandoffSettings.TimeoutPolicy.RETURN_TO_BOT)));
        handedOff();
        say("m2", "still there?");
        h.advance(Duration.ofSeconds(31));

        HandoffEvent timedOut = event(HandoffEventType.TIMED_OUT);
        assertThat(timedOut.getMode()).isEqualTo(ConversationMode.BOT);
        assertThat(timedOut.getTrigger()).isEqualTo(HandoffTrigger.CUSTOMER_ASKED);
        assertThat(replyTo(timedOut.getEventId()).getText()).isEqualTo(Handoffs.BACK_TO_BOT);
        assertThat(replyTo("m2").getText()).isEqualTo("echo still there?");
        assertThat(mode()).isEqualTo(ConversationMode.BOT);
    }

    @Test
    void should_end_a_handed_off_conversation_nothing_happened_in_and_tell_the_desk() {
        start(ConversationSettings.defaults().withIdleTimeout(Duration.ofMinutes(5), Duration.ofSeconds(1))
                .withHandoff(HandoffSettings.defaults().withTimeout(Duration.ofHours(1),
                        HandoffSettings.TimeoutPolicy.KEEP_WAITING)));
        handedOff();
        act("a1", "alice", AgentActionType.ACCEPT, null);
        say("m2", "hello?");
        h.advance(Duration.ofMinutes(6));
        h.advance(Duration.ofSeconds(1));

        HandoffEvent ended = event(HandoffEventType.ENDED);
        assertThat(ended.getReason()).contains("idle");
        assertThat(h.conversationEvents.readValuesToList()).singleElement()
                .satisfies(record -> assertThat(record.getCause()).isEqualTo(EndCause.IDLE_TIMEOUT));
        assertThat(h.state("c1")).isNull();
        AgentReply closing = replyTo(ended.getEventId());
        assertThat(closing.getText()).isEqualTo(Handoffs.CLOSED_UNANSWERED);
        assertThat(closing.getAnswers()).as("the message nobody answered gets this reply").containsExactly("m2");
    }

    @Test
    void should_answer_the_messages_still_waiting_with_the_closing_reply_when_a_human_ends_the_conversation() {
        start();
        handedOff();
        act("a1", "alice", AgentActionType.ACCEPT, null);
        say("m2", "are you there?");
        say("m3", "hello??");
        act("a2", "alice", AgentActionType.END, null);

        AgentReply closing = replyTo("a2");
        assertThat(closing.getText()).isEqualTo(Handoffs.ENDED);
        assertThat(closing.getAnswers()).containsExactly("m2", "m3");
    }

    @Test
    void should_show_the_desk_every_waiting_message_when_the_customer_asks_for_a_person_while_a_turn_runs()
            throws InterruptedException {
        CountDownLatch slow = new CountDownLatch(1);
        script = request -> {
            if (request.userText().startsWith("first")) {
                try {
                    slow.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return echo(request);
        };
        start();
        say("m1", "first question");
        h.advance(Duration.ofMillis(200));
        say("m2", "second question");
        say("m3", "I want to talk to a human please");

        HandoffEvent requested = event(HandoffEventType.REQUESTED);
        assertThat(requested.getMessageId()).isEqualTo("m3");
        assertThat(replyTo(requested.getEventId()).getText())
                .as("the notice replies to the handoff: m3 waits for the human").isEqualTo(Handoffs.REQUESTED);
        assertThat(events()).filteredOn(event -> event.getType() == HandoffEventType.CUSTOMER_MESSAGE)
                .as("m2 waits for the human too; m1 is the running turn's").extracting(HandoffEvent::getMessageId)
                .containsExactly("m2");

        slow.countDown();
        assertThat(replyTo("m1").getText()).isEqualTo("echo first question");
        act("a1", "alice", AgentActionType.ACCEPT, null);
        act("a2", "alice", AgentActionType.REPLY, "Hi, Alice here.");
        assertThat(replyTo("a2").getAnswers()).containsExactly("m2", "m3");
        assertThat(replies()).flatExtracting(reply -> Replies.answered(reply))
                .filteredOn(id -> id.startsWith("m")).as("each message answered once")
                .containsExactlyInAnyOrder("m1", "m2", "m3");
    }

    @Test
    void should_show_the_desk_the_messages_that_came_while_the_turn_that_hands_off_ran() {
        CountDownLatch slow = new CountDownLatch(1);
        script = request -> {
            try {
                slow.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return TurnOutcome.builder().replyText("A colleague will take over.").model("fake")
                    .handoff(new TurnOutcome.HandoffRequest("refund over the limit", "Wants a refund")).build();
        };
        start();
        say("m1", "refund my order");
        h.advance(Duration.ofMillis(200));
        say("m2", "it was 500 EUR");
        slow.countDown();

        replyTo("m1");
        event(HandoffEventType.REQUESTED);
        assertThat(events()).filteredOn(event -> event.getType() == HandoffEventType.CUSTOMER_MESSAGE)
                .extracting(HandoffEvent::getMessageId, HandoffEvent::getText)
                .containsExactly(tuple("m2", "it was 500 EUR"));
    }

    private void sayAs(String messageId, String email, String text) {
        h.send(CustomerMessage.newBuilder(TopologyHarness.message("c1", messageId, text)).setCustomerEmail(email)
                .build());
    }

    @Test
    void should_list_a_verified_customers_open_tickets_and_nothing_for_a_claim() {
        InMemorySupportRepository tickets = InMemorySupportRepository.withSampleData();
        h = new TopologyHarness(this::respond, 2, ConversationSettings.defaults(), stateDir, tickets);
        sayAs("m1", "john@example.com", "I want to talk to a human please");

        HandoffEvent requested = event(HandoffEventType.REQUESTED);
        assertThat(requested.getTrust()).isEqualTo(TrustLevel.VERIFIED);
        assertThat(requested.getCustomerId()).as("looked up by the asserted email").isEqualTo("CUST001");
        assertThat(requested.getOpenTickets()).containsExactly("TICK001");
    }

    @Test
    void should_open_a_follow_up_ticket_for_a_verified_customer_when_the_bot_takes_the_conversation_back() {
        InMemorySupportRepository tickets = InMemorySupportRepository.withSampleData();
        h = new TopologyHarness(this::respond, 2, returnToBotAfter30s(), stateDir, tickets);
        sayAs("m1", "jane@example.com", "I want to talk to a human please");
        event(HandoffEventType.REQUESTED);
        h.advance(Duration.ofSeconds(31));

        HandoffEvent timedOut = event(HandoffEventType.TIMED_OUT);
        assertThat(timedOut.getTicketId()).isNotNull();
        assertThat(timedOut.getReason()).contains("follow-up ticket " + timedOut.getTicketId() + " opened");
        assertThat(tickets.tickets()).filteredOn(ticket -> ticket.id().equals(timedOut.getTicketId()))
                .singleElement().satisfies(ticket -> {
                    assertThat(ticket.customerId()).isEqualTo("CUST002");
                    assertThat(ticket.description()).contains("c1", "CUSTOMER_ASKED");
                });
        assertThat(h.ticketEvents.readValuesToList()).singleElement().satisfies(created -> {
            assertThat(created.getType()).isEqualTo(TicketEventType.CREATED);
            assertThat(created.getTicketId()).isEqualTo(timedOut.getTicketId());
            assertThat(created.getConversationId()).isEqualTo("c1");
        });
        assertThat(replyTo(timedOut.getEventId()).getText()).startsWith(Handoffs.BACK_TO_BOT)
                .contains(timedOut.getTicketId());
    }

    @Test
    void should_go_back_to_the_bot_without_a_ticket_and_say_why_for_a_claim_or_a_failing_ticket_system() {
        h = new TopologyHarness(this::respond, 2, returnToBotAfter30s(), stateDir,
                InMemorySupportRepository.withSampleData());
        handedOff();
        h.advance(Duration.ofSeconds(31));
        HandoffEvent anonymous = event(HandoffEventType.TIMED_OUT);
        assertThat(anonymous.getTicketId()).isNull();
        assertThat(anonymous.getReason()).contains("not verified");
        assertThat(replyTo(anonymous.getEventId()).getText()).isEqualTo(Handoffs.BACK_TO_BOT);
        h.close();
        events.clear();
        replies.clear();

        h = new TopologyHarness(this::respond, 2, returnToBotAfter30s(), stateDir, new FailingSupportRepository());
        sayAs("m9", "jane@example.com", "I want to talk to a human please");
        assertThat(event(HandoffEventType.REQUESTED).getOpenTickets()).as("the ticket system is down").isEmpty();
        h.advance(Duration.ofSeconds(31));
        HandoffEvent failing = event(HandoffEventType.TIMED_OUT);
        assertThat(failing.getTicketId()).isNull();
        assertThat(failing.getMode()).isEqualTo(ConversationMode.BOT);
        assertThat(h.ticketEvents.readValuesToList()).isEmpty();
    }

    private static ConversationSettings returnToBotAfter30s() {
        return ConversationSettings.defaults().withIdleTimeout(Duration.ofHours(1), Duration.ofSeconds(1))
                .withHandoff(HandoffSettings.defaults().withTimeout(Duration.ofSeconds(30),
                        HandoffSettings.TimeoutPolicy.RETURN_TO_BOT));
    }
}
