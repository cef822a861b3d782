package io.helpstream.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ToolExecutionResultMessage;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import io.helpstream.journal.JournalSettings;
import io.helpstream.journal.TurnJournals;
import io.helpstream.journal.postgres.PostgresTurnJournal;
import io.helpstream.schema.ConversationState;
import io.helpstream.schema.CustomerMessage;
import io.helpstream.schema.TicketEventType;
import io.helpstream.tickets.SupportRepository;
import io.helpstream.tickets.SupportRepositoryException;
import io.helpstream.tickets.TicketChange;
import io.helpstream.tickets.postgres.PostgresTestDatabase;
import io.helpstream.tools.ToolNames;
import io.helpstream.turn.Agent;
import io.helpstream.turn.TurnOutcome;
import io.helpstream.turn.TurnRequest;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.lang.reflect.Proxy;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A turn cut off mid-way and answered again by another process, with a model that decides differently when asked
 * the same thing again: the rerun replays what the first run recorded, so it makes the same ticket call with the same
 * arguments, its reply names the one ticket, and the model is asked only for the step never recorded.
 */
class TurnJournalIT {

    @RegisterExtension
    static final PostgresTestDatabase DB = PostgresTestDatabase.withSampleData();

    private final Map<String, AtomicInteger> asked = FickleModel.memory();
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

    @Test
    void should_replay_the_ticket_call_of_a_run_cut_off_after_it_and_ask_the_model_only_for_the_answer()
            throws Exception {
        ConversationState conversation = TestTurns.conversation("j1", TestTurns.verified("john@example.com"));
        FickleModel first = new FickleModel(asked).dieAt(3);
        assertThatThrownBy(() -> process(first, DB.repository()).respond(request(conversation, "m1", false)))
                .hasStackTraceContaining("the process died");
        assertThat(tickets("m1")).containsExactly(FickleModel.FIRST_SUBJECT);

        FickleModel second = new FickleModel(asked);
        TurnOutcome outcome = process(second, DB.repository()).respond(request(conversation, "m1", true));

        List<String> ids = ticketIds("m1");
        assertThat(ids).as("one ticket, made with the first run's arguments").hasSize(1);
        assertThat(tickets("m1")).containsExactly(FickleModel.FIRST_SUBJECT);
        assertThat(outcome.replyText()).isEqualTo("I opened ticket " + ids.get(0) + " for you.");
        assertThat(outcome.ticketEvents()).singleElement().satisfies(event -> {
            assertThat(event.getType()).isEqualTo(TicketEventType.CREATED);
            assertThat(event.getTicketId()).isEqualTo(ids.get(0));
        });
        assertThat(outcome.toolCalls()).extracting(call -> call.getArguments())
                .anySatisfy(arguments -> assertThat(arguments).contains(FickleModel.FIRST_SUBJECT));
        assertThat(first.calls() + second.calls()).as("model calls: 3 undisturbed, 1 more for the lost answer")
                .isEqualTo(4);
        assertThat(meters.counter("helpstream.journal.steps", "kind", "model", "result", "replayed").count())
                .isEqualTo(2.0);
    }

    @Test
    void should_not_write_again_what_a_recorded_decision_failed_to_write() throws Exception {
        ConversationState conversation = TestTurns.conversation("j2", TestTurns.verified("john@example.com"));
        FickleModel first = new FickleModel(asked).dieAt(3);
        assertThatThrownBy(() -> process(first, writesFail(DB.repository())).respond(request(conversation, "m2",
                false))).hasStackTraceContaining("the process died");

        TurnOutcome outcome = process(new FickleModel(asked), DB.repository()).respond(request(conversation, "m2",
                true));

        // The first run's ticket call failed and the answer was never given: the rerun does not call again (a real
        // model might have told the customer already), and its answer agrees with what was written: nothing.
        assertThat(ticketIds("m2")).isEmpty();
        assertThat(outcome.replyText()).isEqualTo("I could not open a ticket just now, sorry.");
        assertThat(outcome.ticketEvents()).isEmpty();
    }

    @Test
    void should_answer_a_rerun_of_a_finished_turn_from_its_journal_without_asking_the_model() throws Exception {
        ConversationState conversation = TestTurns.conversation("j3", TestTurns.verified("john@example.com"));
        FickleModel first = new FickleModel(asked);
        TurnOutcome answered = process(first, DB.repository()).respond(request(conversation, "m3", false));

        // Its reply was never committed (the process died before the transaction did): the rerun answers again.
        FickleModel second = new FickleModel(asked);
        TurnOutcome again = process(second, DB.repository()).respond(request(conversation, "m3", true));

        assertThat(first.calls()).isEqualTo(3);
        assertThat(second.calls()).isZero();
        assertThat(again.replyText()).isEqualTo(answered.replyText());
        assertThat(ticketIds("m3")).hasSize(1);
    }

    @Test
    void should_remove_the_steps_of_an_answered_turn_once_its_retention_passed() throws Exception {
        ConversationState conversation = TestTurns.conversation("j4", TestTurns.verified("john@example.com"));
        TurnJournals journals = journals();
        TurnRequest request = request(conversation, "m4", false);
        Agents.create(new FickleModel(asked), AgentSettings.defaults(), DB.repository(), journals, "agent", meters)
                .respond(request);
        assertThat(steps("j4")).isEqualTo(5);

        journals.answered(request);
        journals.sweep();
        assertThat(steps("j4")).as("kept for the retention").isEqualTo(5);
        assertThat(answeredSteps("j4")).isEqualTo(5);

        DB.jdbi().useHandle(h -> h.execute("UPDATE turn_journal SET answered_at = now() - interval '1 hour'"
                + " WHERE conversation_id = 'j4'"));
        assertThat(journals.sweep()).isEqualTo(5);
        assertThat(steps("j4")).isZero();
    }

    @Test
    void should_ask_for_the_one_time_code_again_when_a_rerun_replays_the_call_that_asked_for_it() throws Exception {
        ConversationState conversation = TestTurns.conversation("j5", null);
        AtomicInteger calls = new AtomicInteger();
        ChatModel first = scripted(calls, true);
        assertThatThrownBy(() -> Agents.create(first, AgentSettings.defaults(), DB.repository(), journals(), "agent",
                meters).respond(request(conversation, "m5", false))).hasStackTraceContaining("the process died");

        TurnOutcome outcome = Agents.create(scripted(calls, false), AgentSettings.defaults(), DB.repository(),
                journals(), "agent", meters).respond(request(conversation, "m5", true));

        // The call that asked for the code was replayed, not made again: the request it made must still go out, or
        // the customer is told a code is on its way that nobody sends.
        assertThat(outcome.verificationStart()).isNotNull();
        assertThat(outcome.verificationStart().email()).isEqualTo("jane@example.com");
        assertThat(outcome.verificationStart().customerId()).isEqualTo("CUST002");
        assertThat(outcome.customer().getVerified()).isFalse();
        assertThat(outcome.replyText()).isEqualTo("I sent you a code.");
        assertThat(calls.get()).as("model calls: the asking one, the one that died, the answer").isEqualTo(3);
    }

    /** Asks for a code for Jane, then (dying the first time, as the process around it would) says it did. */
    private static ChatModel scripted(AtomicInteger calls, boolean dieAfterTheCall) {
        return new ChatModel() {
            @Override
            public ChatResponse doChat(ChatRequest request) {
                int call = calls.incrementAndGet();
                boolean answered = request.messages().stream().anyMatch(ToolExecutionResultMessage.class::isInstance);
                if (!answered) {
                    return ChatResponse.builder().aiMessage(AiMessage.from(ToolExecutionRequest.builder().id("c-1")
                            .name(ToolNames.REQUEST_VERIFICATION_CODE).arguments("{\"email\":\"jane@example.com\"}")
                            .build())).build();
                }
                if (dieAfterTheCall && call == 2) {
                    throw new IllegalStateException("the process died");
                }
                return ChatResponse.builder().aiMessage(AiMessage.from("I sent you a code.")).build();
            }
        };
    }

    private Agent process(FickleModel model, SupportRepository repository) {
        return Agents.create(model, AgentSettings.defaults(), repository, journals(), "agent", meters);
    }

    private TurnJournals journals() {
        return new TurnJournals(new PostgresTurnJournal(DB.jdbi()), JournalSettings.defaults(), meters);
    }

    private static TurnRequest request(ConversationState conversation, String messageId, boolean resumed) {
        CustomerMessage message = TestTurns.request(conversation, messageId, "My printer " + messageId
                + " does not print").message();
        return new TurnRequest(message, ConversationState.newBuilder(conversation).build(), 1, resumed);
    }

    /** The repository with every ticket write failing as in a database outage; reads pass. */
    private static SupportRepository writesFail(SupportRepository repository) {
        return (SupportRepository) Proxy.newProxyInstance(SupportRepository.class.getClassLoader(),
                new Class<?>[] {SupportRepository.class}, (proxy, method, args) -> {
                    if (method.getReturnType() == TicketChange.class || method.getName().equals("updateStatus")
                            || method.getName().equals("escalate")) {
                        throw new SupportRepositoryException("support database could not write: down",
                                new java.sql.SQLException("down"));
                    }
                    try {
                        return method.invoke(repository, args);
                    } catch (java.lang.reflect.InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    private static List<String> tickets(String messageId) {
        return DB.jdbi().withHandle(h -> h.createQuery("SELECT subject FROM tickets WHERE description LIKE :tag")
                .bind("tag", "%" + messageId + " %").mapTo(String.class).list());
    }

    private static List<String> ticketIds(String messageId) {
        return DB.jdbi().withHandle(h -> h.createQuery("SELECT id FROM tickets WHERE description LIKE :tag")
                .bind("tag", "%" + messageId + " %").mapTo(String.class).list());
    }

    private static int steps(String conversationId) {
        return DB.jdbi().withHandle(h -> h.createQuery("SELECT count(*) FROM turn_journal WHERE conversation_id = :c")
                .bind("c", conversationId).mapTo(Integer.class).one());
    }

    private static int answeredSteps(String conversationId) {
        return DB.jdbi().withHandle(h -> h.createQuery("SELECT count(*) FROM turn_journal WHERE conversation_id = :c"
                + " AND answered_at IS NOT NULL").bind("c", conversationId).mapTo(Integer.class).one());
    }
}
