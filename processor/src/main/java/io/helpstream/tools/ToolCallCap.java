package io.helpstream.tools;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.langchain4j.agent.tool.Tool;
import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.agent.tool.ToolSpecifications;
import dev.langchain4j.invocation.InvocationContext;
import dev.langchain4j.service.tool.DefaultToolExecutor;
import dev.langchain4j.service.tool.ToolExecutionResult;
import dev.langchain4j.service.tool.ToolExecutor;
import io.helpstream.contract.SafeText;
import io.helpstream.schema.AuditCategory;
import io.helpstream.schema.AuditOutcome;
import io.helpstream.security.AuditRecords;
import io.helpstream.tools.ToolResult.LimitReached;
import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The one place a turn's tool calls are counted. Every {@code @Tool} method is offered to the AI service through an
 * executor that first takes one of the turn's calls ({@link TurnContext#claimCall()}); a call past
 * {@link ToolLimits#maxToolCallsPerTurn()} runs nothing (no database, no cache, no context change, not even argument
 * parsing) and answers {@link LimitReached}. One model response may ask for any number of calls at once, which the
 * round-trip limit alone does not bound. It is also the one place every call is audited: allowed or refused (by the
 * result the tool gave), or failed, with a digest of its arguments, never their text.
 */
public final class ToolCallCap {

    static final String CALLS_PER_MESSAGE = "tool calls per message";
    private static final ObjectMapper JSON = new ObjectMapper();

    private ToolCallCap() {
    }

    /**
     * The tools of the given objects with their specifications, each behind the cap; built the way the AI service
     * builds them for tool objects, so argument and execution errors still reach its error handlers.
     */
    public static Map<ToolSpecification, ToolExecutor> executors(List<Object> toolObjects) {
        Map<ToolSpecification, ToolExecutor> executors = new LinkedHashMap<>();
        for (Object tools : toolObjects) {
            Arrays.stream(tools.getClass().getMethods())
                    .filter(method -> method.isAnnotationPresent(Tool.class))
                    .sorted(Comparator.comparing(Method::getName))
                    .forEach(method -> executors.put(ToolSpecifications.toolSpecificationFrom(method),
                            new Capped(DefaultToolExecutor.builder()
                                    .object(tools)
                                    .originalMethod(method)
                                    .methodToInvoke(method)
                                    .wrapToolArgumentsExceptions(true)
                                    .propagateToolExecutionExceptions(true)
                                    .build())));
        }
        ToolSpecifications.validateSpecifications(List.copyOf(executors.keySet()));
        return Collections.unmodifiableMap(executors);
    }

    private record Capped(ToolExecutor tool) implements ToolExecutor {

        @Override
        public ToolExecutionResult executeWithContext(ToolExecutionRequest request, InvocationContext context) {
            TurnContext turn = TurnContext.from(context == null ? null : context.invocationParameters());
            String digest = AuditRecords.digest(request.arguments());
            if (!turn.claimCall()) {
                LimitReached limit = new LimitReached(CALLS_PER_MESSAGE, turn.limits().maxToolCallsPerTurn());
                turn.audit(AuditCategory.TOOL_CALL, request.name(), AuditOutcome.REFUSED, ToolResults.kindOf(limit),
                        digest);
                return ToolExecutionResult.builder().resultText(ToolResults.render(limit)).build();
            }
            ToolExecutionResult result;
            try {
                result = tool.executeWithContext(cleaned(request), context);
            } catch (RuntimeException | Error e) {
                turn.audit(AuditCategory.TOOL_CALL, request.name(), AuditOutcome.FAILED,
                        e.getClass().getSimpleName(), digest);
                throw e;
            }
            Optional<ToolResult> read = ToolResults.read(result.resultText());
            boolean refused = read.map(ToolResult::refusal).orElse(false);
            turn.audit(AuditCategory.TOOL_CALL, request.name(), refused ? AuditOutcome.REFUSED : AuditOutcome.ALLOWED,
                    read.map(ToolResults::kindOf).orElse(result.isError() ? "error" : "unreadable result"), digest);
            return result;
        }

        /**
         * The request with every string in its arguments made {@link SafeText safe}: the model may have been told to
         * write escape sequences, NUL bytes or bidi overrides into a ticket. Arguments that are not a JSON object are
         * passed on as they are, for the executor to refuse.
         */
        private static ToolExecutionRequest cleaned(ToolExecutionRequest request) {
            String arguments = request.arguments();
            if (arguments == null || arguments.isBlank()) {
                return request;
            }
            try {
                JsonNode parsed = JSON.readTree(arguments);
                if (!parsed.isObject() || !clean(parsed)) {
                    return request;
                }
                return ToolExecutionRequest.builder().id(request.id()).name(request.name())
                        .arguments(JSON.writeValueAsString(parsed)).build();
            } catch (JsonProcessingException e) {
                return request;
            }
        }

        /** Cleans the strings of a JSON tree in place; true when any changed. */
        private static boolean clean(JsonNode node) {
            boolean changed = false;
            if (node instanceof ObjectNode object) {
                for (Map.Entry<String, JsonNode> field : object.properties()) {
                    if (field.getValue().isTextual()) {
                        String text = field.getValue().textValue();
                        if (!SafeText.isClean(text)) {
                            object.put(field.getKey(), SafeText.clean(text));
                            changed = true;
                        }
                    } else {
                        changed |= clean(field.getValue());
                    }
                }
            } else if (node instanceof ArrayNode array) {
                for (int i = 0; i < array.size(); i++) {
                    if (array.get(i).isTextual() && !SafeText.isClean(array.get(i).textValue())) {
                        array.set(i, SafeText.clean(array.get(i).textValue()));
                        changed = true;
                    } else {
                        changed |= clean(array.get(i));
                    }
                }
            }
            return changed;
        }

        @Override
        public String execute(ToolExecutionRequest request, Object memoryId) {
            throw new UnsupportedOperationException("a tool call is counted against its turn, which travels in the "
                    + "invocation context");
        }
    }
}
