package io.helpstream.agent;

import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.memory.ChatMemory;
import dev.langchain4j.memory.chat.MessageWindowChatMemory;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.service.AiServices;
import dev.langchain4j.service.Result;
import dev.langchain4j.service.tool.ToolExecution;
import io.helpstream.schema.TicketEvent;
import io.helpstream.schema.TokenUsage;
import io.helpstream.schema.ToolCallRecord;
import io.helpstream.telemetry.Tracing;
import io.helpstream.tools.ToolCallCap;
import io.helpstream.tools.ToolObservation;
import io.helpstream.tools.TurnContext;
import io.helpstream.turn.Agent;
import io.helpstream.turn.TurnFailedException;
import io.helpstream.turn.TurnOutcome;
import io.helpstream.turn.TurnRequest;
import io.micrometer.core.instrument.MeterRegistry;
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
 */
public final class LangChainAgent implements Agent {

    private static final Logger log = LoggerFactory.getLogger(LangChainAgent.class);

    private final SupportAssistant assistant;
    private final AgentSettings settings;
    private final String modelFallbackName;
    private final Map<String, ChatMemory> runningTurns = new ConcurrentHashMap<>();

    /**
     * @param chatModel the model that answers
     * @param tools     objects with {@code @Tool} methods (see {@code io.helpstream.tools.SupportTools})
     * @param settings  tool round trips, tool limits and system prompt
     * @param meters    where model calls (GenAI conventions), tool calls and tool failures are measured
     */
    public LangChainAgent(ChatModel chatModel, List<Object> tools, AgentSettings settings, MeterRegistry meters) {
        this(chatModel, tools, settings, meters, Tracing.off());
    }

    /** @param tracing where each model call and each tool call is traced, as a child of the turn's span */
    public LangChainAgent(ChatModel chatModel, List<Object> tools, AgentSettings settings, MeterRegistry meters,
                          Tracing tracing) {
        Objects.requireNonNull(chatModel, "chatModel");
        Objects.requireNonNull(tools, "tools");
        this.settings = Objects.requireNonNull(settings, "settings");
        ToolErrors errors = new ToolErrors(meters);
        this.modelFallbackName = chatModel.getClass().getSimpleName();
        this.assistant = AiServices.builder(SupportAssistant.class)
                .chatModel(new ObservedChatModel(chatModel, new ModelObservation(meters, tracing.tracer())))
                // Each tool behind the turn's cap on tool calls, however many calls one response asks for; each call
                // measured by tool and outcome.
                .tools(ToolObservation.around(ToolCallCap.executors(List.copyOf(tools)), meters, tracing.tracer()))
                .chatMemoryProvider(this::memoryOf)
                // LangChain4j counts the final answer as a round trip too.
                .maxToolCallingRoundTrips(settings.maxToolRoundTrips() + 1)
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
        if (runningTurns.putIfAbsent(turnId, memory) != null) {
            throw new IllegalStateException("turn " + turnId + " is already running");
        }
        try {
            Result<String> result = answer(turnId, request, context, outcome);
            result.toolExecutions().forEach(execution -> outcome.toolCall(record(execution)));
            return outcome.replyText(result.content() == null ? "" : result.content())
                    .model(modelName(result))
                    .usage(usage(result))
                    .build();
        } finally {
            assistant.evictChatMemory(turnId);
            runningTurns.remove(turnId);
        }
    }

    /** The AI service's answer; a failure after tools wrote carries their ticket events ({@link TurnFailedException}). */
    private Result<String> answer(String turnId, TurnRequest request, TurnContext context,
                                  TurnOutcome.Builder outcome) {
        try {
            return assistant.answer(turnId, request.userText(), context.toInvocationParameters());
        } catch (RuntimeException e) {
            List<TicketEvent> written = outcome.ticketEventsSoFar();
            if (written.isEmpty()) {
                throw e;
            }
            throw new TurnFailedException(e, written);
        }
    }

    private ChatMemory memoryOf(Object turnId) {
        ChatMemory memory = runningTurns.get(turnId);
        if (memory == null) {
            throw new IllegalStateException("no running turn for memory id " + turnId);
        }
        return memory;
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
