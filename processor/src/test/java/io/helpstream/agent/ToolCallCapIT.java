package io.helpstream.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.helpstream.schema.CustomerBinding;
import io.helpstream.tickets.RecordedTicketChange;
import io.helpstream.tickets.postgres.PostgresTestDatabase;
import io.helpstream.tools.SupportTools;
import io.helpstream.tools.ToolLimits;
import io.helpstream.tools.ToolNames;
import io.helpstream.tools.ToolResult.LimitReached;
import io.helpstream.tools.ToolResults;
import io.helpstream.tools.TurnContext;
import io.helpstream.turn.TurnOutcome;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.util.UUID;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class ToolCallCapIT {

    @RegisterExtension
    static final PostgresTestDatabase DB = PostgresTestDatabase.withSampleData();

    @Test
    void should_write_only_the_tickets_of_the_calls_under_the_cap_when_one_response_asks_for_30() {
        // Writes are allowed generously here, so that only the cap on calls holds the model back.
        AgentSettings settings = new AgentSettings(AgentSettings.DEFAULT_MAX_TOOL_ROUND_TRIPS, null,
                new ToolLimits(20, 100, 20, 500));
        LangChainAgent agent = new LangChainAgent(new ScriptedChatModel(ScriptedChatModel.parallelCalls(30,
                ToolNames.CREATE_TICKET, i -> "{\"subject\":\"Injected " + i + "\",\"description\":\"spam\"}")),
                SupportTools.create(DB.repository(), SupportTools.DEFAULT_AGENT_NAME, Clock.systemUTC()), settings,
                new SimpleMeterRegistry());
        String messageId = "m-" + UUID.randomUUID();
        int ticketsBefore = johnsTickets();

        TurnOutcome outcome = agent.respond(TestTurns.request(TestTurns.conversation("conv-1",
                new CustomerBinding("john@example.com", "CUST001", "John Doe", true)), messageId, "hello"));

        assertThat(johnsTickets() - ticketsBefore).isEqualTo(20);
        String prefix = TurnContext.keyPrefix("conv-1", messageId);
        assertThat(DB.repository().changesRecordedUnder(prefix)).extracting(RecordedTicketChange::idempotencyKey)
                .containsExactlyInAnyOrderElementsOf(IntStream.rangeClosed(1, 20)
                        .mapToObj(n -> prefix + "createTicket/" + n).toList());
        assertThat(outcome.ticketEvents()).hasSize(20);
        assertThat(outcome.toolCalls().subList(20, 30)).allSatisfy(call -> assertThat(
                ToolResults.read(call.getOutput(), LimitReached.class)).contains(new LimitReached(
                "tool calls per message", 20)));
    }

    private static int johnsTickets() {
        return DB.jdbi().withHandle(h -> h.createQuery("SELECT count(*) FROM tickets WHERE customer_id = 'CUST001'")
                .mapTo(Integer.class).one());
    }
}
