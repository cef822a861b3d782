package io.helpstream.agent.offline;

import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.ToolExecutionResultMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.request.json.JsonObjectSchema;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.output.FinishReason;
import dev.langchain4j.model.output.TokenUsage;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A deterministic chat model that needs no network: it reads the customer's message for known intents, asks for the
 * tools a language model would ask for (as offered in the request, by their real names and parameter names), and
 * once the tool results are in, writes the answer from them. Token usage is counted in words.
 */
public final class OfflineChatModel implements ChatModel {

    public static final String MODEL_NAME = "helpstream-offline-1";
    private static final Logger log = LoggerFactory.getLogger(OfflineChatModel.class);

    @Override
    public ChatResponse doChat(ChatRequest request) {
        TurnReading reading = new TurnReading(request.messages());
        Intents intents = Intents.of(reading.userText());
        List<ToolExecutionRequest> calls = nextCalls(intents, reading, request.toolSpecifications());
        AiMessage answer = calls.isEmpty()
                ? AiMessage.from(ReplyWriter.write(intents, reading))
                : AiMessage.from(calls);
        return ChatResponse.builder()
                .aiMessage(answer)
                .modelName(MODEL_NAME)
                .tokenUsage(new TokenUsage(words(request.messages()), words(answer)))
                .finishReason(calls.isEmpty() ? FinishReason.STOP : FinishReason.TOOL_EXECUTION)
                .build();
    }

    /** The planned calls not made yet this turn, restricted to the tools on offer. */
    private static List<ToolExecutionRequest> nextCalls(Intents intents, TurnReading reading,
                                                        List<ToolSpecification> offered) {
        Map<String, ToolSpecification> tools = offered == null ? Map.of() : offered.stream()
                .collect(Collectors.toMap(ToolSpecification::name, Function.identity(), (a, b) -> a));
        Set<String> made = reading.requestsThisTurn().stream()
                .map(call -> call.name() + call.arguments()).collect(Collectors.toSet());
        List<ToolExecutionRequest> requests = new ArrayList<>();
        int id = reading.toolCallsSoFar();
        for (PlannedCall call : Planner.plan(intents, reading)) {
            ToolSpecification tool = tools.get(call.tool());
            if (tool == null || !fits(call, tool)) {
                log.debug("Tool {} not offered with the expected parameters; skipping it", call.tool());
                continue;
            }
            String arguments = call.argumentsJson();
            if (made.add(call.tool() + arguments)) {
                requests.add(ToolExecutionRequest.builder()
                        .id("offline-call-" + (++id)).name(call.tool()).arguments(arguments).build());
            }
        }
        return requests;
    }

    /** A call fits when every argument is a parameter of the tool and every required parameter is given. */
    private static boolean fits(PlannedCall call, ToolSpecification tool) {
        JsonObjectSchema parameters = tool.parameters();
        Set<String> names = parameters == null ? Set.of() : parameters.properties().keySet();
        List<String> required = parameters == null || parameters.required() == null ? List.of()
                : parameters.required();
        return names.containsAll(call.arguments().keySet()) && call.arguments().keySet().containsAll(required);
    }

    private static int words(List<ChatMessage> messages) {
        return messages.stream().mapToInt(OfflineChatModel::words).sum();
    }

    private static int words(ChatMessage message) {
        String text;
        if (message instanceof SystemMessage system) {
            text = system.text();
        } else if (message instanceof UserMessage user) {
            text = user.hasSingleText() ? user.singleText() : "";
        } else if (message instanceof ToolExecutionResultMessage result) {
            text = result.text();
        } else if (message instanceof AiMessage ai) {
            text = (ai.text() == null ? "" : ai.text()) + (ai.hasToolExecutionRequests()
                    ? ai.toolExecutionRequests().stream().map(r -> r.name() + " " + r.arguments())
                    .collect(Collectors.joining(" ")) : "");
        } else {
            text = "";
        }
        String stripped = text.strip();
        return stripped.isEmpty() ? 0 : stripped.split("\\s+").length;
    }
}
