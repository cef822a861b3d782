package io.helpstream.agent;

import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.invocation.InvocationParameters;
import dev.langchain4j.memory.ChatMemory;
import dev.langchain4j.memory.chat.MessageWindowChatMemory;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.service.AiServices;
import dev.langchain4j.service.Result;
import dev.langchain4j.service.tool.ToolExecution;
import io.helpstream.journal.RecordedTurn;
import io.helpstream.journal.TurnJournals;
import io.helpstream.schema.AuditCategory;
import io.helpstream.schema.AuditOutcome;
import io.helpstream.schema.TicketEvent;
import io.helpstream.schema.TokenUsage;
import io.helpstream.schema.ToolCallRecord;
import io.helpstream.security.Budgets;
import io.helpstream.telemetry.Tracing;
import io.helpstream.tickets.TokenLedger;
import io.helpstream.tools.ToolCallCap;
import io.helpstream.tools.ToolObservation;
import io.helpstream.tools.TurnContext;
import io.helpstream.turn.Agent;
import io.helpstream.turn.TurnFailedException;
import io.helpstream.turn.TurnOutcome;
import io.helpstream.turn.TurnRequest;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent: a LangChain4j AI service over a chat model and the support tools. Each turn gets a fresh chat memory,
 * keyed by the message id and filled from the stored conversation, and drops it when done; the conversation's state
 * lives in the stream's store, not here.
 *
 * <p>Before every model call the turn's budgets are checked ({@link TurnBudget}): the model calls of this message and
 * the verified customer's tokens of the day. Past either the turn ends at once with {@link Budgets#REPLY}, keeping
 * what its tools did, and the refusal is audited. After the turn its tokens are added to the customer's day.
 *
 * <p>Every step of a turn goes through its journal ({@link TurnJournals}): the model and the tools are reached only
 * for steps no earlier run of the message recorded ({@link JournaledChatModel}, {@link JournaledTools}), so a rerun
 * after a crash makes the same tool calls with the same arguments and the model is asked again only where it was
 * never answered. Model calls and tool calls are observed (metrics, spans) only when they really happen.
 */
public final class LangChainAgent implements Agent {

    private static final Logger log = LoggerFactory.getLogger(LangChainAgent.class);

    private final SupportAssistant assistant;
    private final AgentSettings settings;
    private final String modelFallbackName;
    private final Map<String, RunningTurn> runningTurns = new ConcurrentHashMap<>();
    private final TokenLedger ledger;
    private final Clock clock;
    private final TurnJournals journals;

    /** A running turn's memory, budget and run against its journal, found by its memory id. */
    private record RunningTurn(ChatMemory memory, TurnBudget budget, RecordedTurn recorded) {
    }

    /**
     * @param chatModel the model that answers
     * @param tools     objects with {@code @Tool} methods (see {@code io.helpstream.tools.SupportTools})
     * @param settings  tool round trips, tool limits and system prompt
     * @param meters    where model calls (GenAI conventions), tool calls and tool failures are measured
     */
    public LangChainAgent(ChatModel chatModel, List<Object> tools, AgentSettings settings, MeterRegistry meters) {
        this(chatModel, tools, settings, TokenLedger.NONE, TurnJournals.inMemory(meters), Clock.systemUTC(), meters);
    }

    /** @param journals where the steps of turns are recorded and read back by reruns */
    public LangChainAgent(ChatModel chatModel, List<Object> tools, AgentSettings settings, TurnJournals journals,
                          MeterRegistry meters) {
        this(chatModel, tools, settings, TokenLedger.NONE, journals, Clock.systemUTC(), meters);
    }

    /** @param ledger where each verified customer's tokens of the day are counted (PostgreSQL) */
    public LangChainAgent(ChatModel chatModel, List<Object> tools, AgentSettings settings, TokenLedger ledger,
                          Clock clock, MeterRegistry meters) {
        this(chatModel, tools, settings, ledger, TurnJournals.inMemory(meters), clock, meters);
    }

    public LangChainAgent(ChatModel chatModel, List<Object> tools, AgentSettings settings, TokenLedger ledger,
                          TurnJournals journals, Clock clock, MeterRegistry meters) {
        this(chatModel, tools, settings, ledger, journals, clock, meters, Tracing.off());
    }

    /** @param tracing where each model call and each tool call is traced, as a child of the turn's span */
    public LangChainAgent(ChatModel chatModel, List<Object> tools, AgentSettings settings, TokenLedger ledger,
                          TurnJournals journals, Clock clock, MeterRegistry meters, Tracing tracing) {
        Objects.requireNonNull(chatModel, "chatModel");
        this.journals = Objects.requireNonNull(journals, "journals");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.ledger = new FailOpenLedger(ledger, clock);
        Objects.requireNonNull(tools, "tools");
        this.settings = Objects.requireNonNull(settings, "settings");
        ToolErrors errors = new ToolErrors(meters);
        this.modelFallbackName = chatModel.getClass().getSimpleName();
        this.assistant = AiServices.builder(SupportAssistant.class)
                // A step the journal recorded is replayed; only a real call reaches (and is observed on) the model.
                .chatModel(new JournaledChatModel(new ObservedChatModel(chatModel,
                        new ModelObservation(meters, tracing.tracer()))))
                // Each tool behind the turn's journal and its cap on tool calls, however many calls one response asks
                // for; each call measured by tool and outcome.
                .tools(JournaledTools.wrap(ToolObservation.around(ToolCallCap.executors(List.copyOf(tools)), meters,
                        tracing.tracer()), errors))
                .chatMemoryProvider(this::memoryOf)
                // Every model call of a turn, the first included, passes its budget first, and carries the turn's
                // run against its journal (the memory id is the turn's).
                .chatRequestTransformer((chatRequest, memoryId) -> {
                    RunningTurn turn = turnOf(memoryId);
                    turn.budget().beforeModelCall();
                    return new TurnChatRequest(chatRequest, turn.recorded());
                })
                // Above the budget, so that the budget's polite end is what a long tool loop meets.
                .maxToolCallingRoundTrips(settings.maxModelCalls() + 1)
                .toolExecutionErrorHandler(errors::executionFailed)
                .toolArgumentsErrorHandler(errors::argumentsInvalid)
                .hallucinatedToolNameStrategy(errors::unknownTool)
                .build();
    }

    @Override
    public TurnOutcome respond(TurnRequest request) {
        // Unique per attempt: an attempt abandoned by a closed task may still be running when the message is answered
        // again, and each needs a memory of its own.
        String turnId = request.messageId() + "#" + UUID.randomUUID();
        TurnOutcome.Builder outcome = TurnOutcome.builder();
        TurnContext context = TurnContext.of(request, outcome, settings.toolLimits());
        ChatMemory memory = MessageWindowChatMemory.builder()
                .id(turnId)
                // The history window is applied in turns when the memory is filled; it must not cut any further.
                .maxMessages(Integer.MAX_VALUE)
                .build();
        // set() stores the list as given, keeping both system messages in front.
        memory.set(ConversationMessages.build(settings.systemPrompt(), request.conversation()));
        LocalDate today = LocalDate.now(clock.withZone(ZoneOffset.UTC));
        TurnBudget budget = new TurnBudget(context, settings.maxModelCalls(),
                settings.budgets().maxTokensPerCustomerPerDay(), ledger, today);
        RecordedTurn recorded = journals.open(request);
        if (runningTurns.putIfAbsent(turnId, new RunningTurn(memory, budget, recorded)) != null) {
            throw new IllegalStateException("turn " + turnId + " is already running");
        }
        try {
            InvocationParameters parameters = context.toInvocationParameters();
            parameters.put(RecordedTurn.PARAMETER, recorded);
            Result<String> result = answer(turnId, request, parameters, outcome);
            result.toolExecutions().forEach(execution -> outcome.toolCall(record(execution)));
            TokenUsage usage = usage(result);
            budget.spent(usage.getInputTokens() + usage.getOutputTokens());
            return outcome.replyText(result.content() == null ? "" : result.content())
                    .model(modelName(result))
                    .usage(usage)
                    .build();
        } catch (TurnBudget.Exceeded exceeded) {
            context.audit(AuditCategory.BUDGET, exceeded.kind().name(), AuditOutcome.REFUSED, "over budget", null);
            return outcome.replyText(Budgets.REPLY).model("none")
                    .usage(new TokenUsage(0, 0, budget.modelCalls()))
                    .build();
        } finally {
            assistant.evictChatMemory(turnId);
            runningTurns.remove(turnId);
        }
    }

    /**
     * The AI service's answer; a failure after tools wrote carries their ticket events ({@link TurnFailedException}).
     */
    private Result<String> answer(String turnId, TurnRequest request, InvocationParameters parameters,
                                  TurnOutcome.Builder outcome) {
        try {
            return assistant.answer(turnId, request.userText(), parameters);
        } catch (RuntimeException e) {
            TurnBudget.Exceeded exceeded = TurnBudget.exceededIn(e);
            if (exceeded != null) {
                throw exceeded;
            }
            List<TicketEvent> written = outcome.ticketEventsSoFar();
            if (written.isEmpty()) {
                throw e;
            }
            throw new TurnFailedException(e, written);
        }
    }

    /** Its steps may go once the message is answered. */
    @Override
    public void answered(TurnRequest request) {
        journals.answered(request);
    }

    private ChatMemory memoryOf(Object turnId) {
        return turnOf(turnId).memory();
    }

    private RunningTurn turnOf(Object turnId) {
        RunningTurn turn = runningTurns.get(turnId);
        if (turn == null) {
            throw new IllegalStateException("no running turn for memory id " + turnId);
        }
        return turn;
    }

    private String modelName(Result<String> result) {
        ChatResponse last = result.finalResponse();
        String name = last == null ? null : last.modelName();
        if (name == null) {
            log.debug("Model did not report its name; using {}", modelFallbackName);
            return modelFallbackName;
        }
        return name;
    }

    private static TokenUsage usage(Result<String> result) {
        dev.langchain4j.model.output.TokenUsage sum = result.tokenUsage();
        int modelCalls = result.intermediateResponses().size() + (result.finalResponse() == null ? 0 : 1);
        if (sum == null) {
            return new TokenUsage(0, 0, modelCalls);
        }
        return new TokenUsage(orZero(sum.inputTokenCount()), orZero(sum.outputTokenCount()), modelCalls);
    }

    private static int orZero(Integer count) {
        return count == null ? 0 : count;
    }

    private static ToolCallRecord record(ToolExecution execution) {
        ToolExecutionRequest request = execution.request();
        return new ToolCallRecord(request.id() == null ? "" : request.id(), request.name(),
                request.arguments() == null ? "{}" : request.arguments(),
                execution.result() == null ? "" : execution.result());
    }
}
