package io.helpstream.tools;

import dev.langchain4j.agent.tool.Tool;
import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.agent.tool.ToolSpecifications;
import dev.langchain4j.invocation.InvocationContext;
import dev.langchain4j.service.tool.DefaultToolExecutor;
import dev.langchain4j.service.tool.ToolExecutionResult;
import dev.langchain4j.service.tool.ToolExecutor;
import io.helpstream.tools.ToolResult.LimitReached;
import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The one place a turn's tool calls are counted. Every {@code @Tool} method is offered to the AI service through an
 * executor that first takes one of the turn's calls ({@link TurnContext#claimCall()}); a call past
 * {@link ToolLimits#maxToolCallsPerTurn()} runs nothing (no database, no cache, no context change, not even argument
 * parsing) and answers {@link LimitReached}. One model response may ask for any number of calls at once, which the
 * round-trip limit alone does not bound.
 */
public final class ToolCallCap {

    static final String CALLS_PER_MESSAGE = "tool calls per message";

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
            if (turn.claimCall()) {
                return tool.executeWithContext(request, context);
            }
            return ToolExecutionResult.builder()
                    .resultText(ToolResults.render(new LimitReached(CALLS_PER_MESSAGE,
                            turn.limits().maxToolCallsPerTurn())))
                    .build();
        }

        @Override
        public String execute(ToolExecutionRequest request, Object memoryId) {
            throw new UnsupportedOperationException("a tool call is counted against its turn, which travels in the "
                    + "invocation context");
        }
    }
}
