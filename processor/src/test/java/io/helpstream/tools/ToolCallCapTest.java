package io.helpstream.tools;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.agent.tool.ToolSpecifications;
import dev.langchain4j.exception.ToolArgumentsException;
import dev.langchain4j.invocation.InvocationContext;
import dev.langchain4j.service.tool.ToolExecutor;
import io.helpstream.agent.TestTurns;
import io.helpstream.schema.CustomerBinding;
import io.helpstream.tickets.InMemorySupportRepository;
import io.helpstream.tickets.Ticket;
import io.helpstream.tools.ToolResult.ContextSaved;
import io.helpstream.tools.ToolResult.CustomerFound;
import io.helpstream.tools.ToolResult.FaqAnswer;
import io.helpstream.tools.ToolResult.LimitReached;
import io.helpstream.tools.ToolResult.TicketCreated;
import io.helpstream.turn.TurnOutcome;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ToolCallCapTest {

    private static final int MAX_CALLS = 3;
    private static final LimitReached CAPPED = new LimitReached(ToolCallCap.CALLS_PER_MESSAGE, MAX_CALLS);

    private final InMemorySupportRepository repository = InMemorySupportRepository.withSampleData();
    private final List<Object> tools = SupportTools.create(repository, "agent", Clock.systemUTC());
    private final Map<ToolSpecification, ToolExecutor> executors = ToolCallCap.executors(tools);

    private static TurnContext turn(CustomerBinding customer) {
        // Writes are not the limit here: only calls are.
        return TurnContext.of(TestTurns.request(TestTurns.conversation("conv-1", customer), "m1", "text"),
                TurnOutcome.builder(), new ToolLimits(MAX_CALLS, 10, 10, 100));
    }

    private static TurnContext john() {
        return turn(new CustomerBinding("john@example.com", "CUST001", "John Doe", true));
    }

    private ToolResult call(TurnContext turn, String tool, String arguments) {
        ToolExecutor executor = executors.entrySet().stream().filter(e -> e.getKey().name().equals(tool))
                .map(Map.Entry::getValue).findFirst().orElseThrow();
        String text = executor.executeWithContext(
                ToolExecutionRequest.builder().id("call-1").name(tool).arguments(arguments).build(),
                InvocationContext.builder().invocationParameters(turn.toInvocationParameters()).build()).resultText();
        return ToolResults.read(text).orElseThrow(() -> new AssertionError("not a tool result: " + text));
    }

    @Test
    void should_run_exactly_the_capped_number_of_look_ups_and_read_nothing_past_it() {
        TurnContext turn = turn(TestTurns.verified("john@example.com"));
        int readsBefore = repository.reads();
        for (int i = 0; i < MAX_CALLS; i++) {
            assertThat(call(turn, ToolNames.LOOKUP_CUSTOMER, "{\"email\":\"john@example.com\"}"))
                    .isInstanceOf(CustomerFound.class);
        }
        assertThat(repository.reads()).isEqualTo(readsBefore + MAX_CALLS);

        ToolResult past = call(turn, ToolNames.LOOKUP_CUSTOMER, "{\"email\":\"john@example.com\"}");

        assertThat(past).isEqualTo(CAPPED);
        assertThat(past.message()).contains(MAX_CALLS + " tool calls per message");
        assertThat(repository.reads()).isEqualTo(readsBefore + MAX_CALLS);
    }

    @Test
    void should_audit_every_call_allowed_or_refused_with_a_digest_of_its_arguments_not_their_text() {
        TurnContext turn = turn(null);
        String arguments = "{\"email\":\"jane@example.com\"}";
        for (int i = 0; i <= MAX_CALLS; i++) {
            call(turn, ToolNames.LOOKUP_CUSTOMER, arguments);
        }

        java.util.List<io.helpstream.schema.AuditRecord> audit = TestTurns.outcome(turn).audit();
        assertThat(audit).hasSize(MAX_CALLS + 1).allSatisfy(record -> {
            assertThat(record.getCategory()).isEqualTo(io.helpstream.schema.AuditCategory.TOOL_CALL);
            assertThat(record.getAction()).isEqualTo(ToolNames.LOOKUP_CUSTOMER);
            assertThat(record.getOutcome()).isEqualTo(io.helpstream.schema.AuditOutcome.REFUSED);
            assertThat(record.getArgumentsDigest()).isEqualTo(io.helpstream.security.AuditRecords.digest(arguments));
            assertThat(record.toString()).doesNotContain("jane@example.com");
            assertThat(record.getCustomerId()).isNull();
        });
        assertThat(audit.subList(0, MAX_CALLS)).allSatisfy(record ->
                assertThat(record.getReason()).isEqualTo("verification_required"));
        assertThat(audit.get(MAX_CALLS).getReason()).isEqualTo("limit_reached");
        assertThat(audit).extracting(io.helpstream.schema.AuditRecord::getAuditId).doesNotHaveDuplicates();
    }

    @Test
    void should_create_no_ticket_past_the_cap_even_with_writes_left() {
        TurnContext turn = john();
        for (int i = 0; i < MAX_CALLS; i++) {
            assertThat(call(turn, ToolNames.CREATE_TICKET, "{\"subject\":\"Issue " + i + "\",\"description\":\"d\"}"))
                    .isInstanceOf(TicketCreated.class);
        }
        int tickets = repository.tickets().size();

        ToolResult past = call(turn, ToolNames.CREATE_TICKET, "{\"subject\":\"One more\",\"description\":\"d\"}");

        assertThat(past).isEqualTo(CAPPED);
        assertThat(repository.tickets()).hasSize(tickets);
        assertThat(TestTurns.outcome(turn).ticketEvents()).hasSize(MAX_CALLS);
        // The refused call took no idempotency key, so a replay of the turn meets the same keys.
        assertThat(turn.nextIdempotencyKey(ToolNames.CREATE_TICKET))
                .isEqualTo(TurnContext.keyPrefix("conv-1", "m1") + "createTicket/" + (MAX_CALLS + 1));
    }

    @Test
    void should_count_every_tool_alike_and_change_no_context_past_the_cap() {
        TurnContext turn = john();

        List<ToolResult> results = List.of(
                call(turn, ToolNames.ANSWER_FAQ, "{\"question\":\"What is your return policy?\"}"),
                call(turn, ToolNames.SET_CONVERSATION_CONTEXT, "{\"key\":\"order\",\"value\":\"#1\"}"),
                call(turn, ToolNames.SUMMARIZE_CONVERSATION, "{}"),
                call(turn, ToolNames.SET_CONVERSATION_CONTEXT, "{\"key\":\"order\",\"value\":\"#2\"}"),
                call(turn, ToolNames.ANSWER_FAQ, "{\"question\":\"What is your return policy?\"}"));

        assertThat(results.get(0)).isInstanceOf(FaqAnswer.class);
        assertThat(results.get(1)).isEqualTo(new ContextSaved("order", "#1"));
        assertThat(results.subList(3, 5)).containsOnly(CAPPED);
        assertThat(turn.context()).containsExactlyEntriesOf(Map.of("order", "#1"));
    }

    @Test
    void should_count_a_call_with_invalid_arguments_and_leave_it_to_the_arguments_error_handler() {
        TurnContext turn = john();

        assertThatThrownBy(() -> call(turn, ToolNames.LOOKUP_CUSTOMER, "{not json"))
                .isInstanceOf(ToolArgumentsException.class);
        call(turn, ToolNames.ANSWER_FAQ, "{\"question\":\"warranty\"}");
        call(turn, ToolNames.ANSWER_FAQ, "{\"question\":\"warranty\"}");

        assertThat(call(turn, ToolNames.ANSWER_FAQ, "{\"question\":\"warranty\"}")).isEqualTo(CAPPED);
    }

    @Test
    void should_offer_each_tool_with_the_specification_langchain4j_derives_from_its_method() {
        List<ToolSpecification> derived = tools.stream()
                .flatMap(tool -> ToolSpecifications.toolSpecificationsFrom(tool).stream()).toList();

        assertThat(executors.keySet()).containsExactlyInAnyOrderElementsOf(derived);
    }

    @Test
    void should_store_no_escape_sequence_nul_or_bidi_control_a_model_writes_into_a_ticket() {
        TurnContext turn = john();
        // JSON escapes: what a compromised model sends to colour a terminal, cut a string or reverse a file name.
        String arguments = "{\"subject\":\"\\u001b[31mURGENT\\u001b[0m printer\\u0000\","
                + "\"description\":\"see invoice\\u202efdp.exe\\u001b]0;pwned\\u0007 now\"}";

        ToolResult created = call(turn, ToolNames.CREATE_TICKET, arguments);

        assertThat(created).isInstanceOf(TicketCreated.class);
        Ticket ticket = repository.tickets().stream().filter(t -> t.subject().contains("printer")).findFirst()
                .orElseThrow();
        assertThat(ticket.subject()).isEqualTo("URGENT printer");
        assertThat(ticket.description()).isEqualTo("see invoicefdp.exe now");
    }
}
