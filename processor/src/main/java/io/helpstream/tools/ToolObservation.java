package io.helpstream.tools;

import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.invocation.InvocationContext;
import dev.langchain4j.service.tool.ToolExecutionResult;
import dev.langchain4j.service.tool.ToolExecutor;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Every tool call measured in {@value #CALLS}, by tool and outcome: the kind of result the tool gave
 * ({@code customer_found}, {@code ticket_created}, {@code limit_reached}, ...), {@code error} when it threw (the
 * model then gets a short error instead), or {@code other} for a result that is not one of the {@link ToolResult}
 * kinds. No argument is recorded.
 */
public final class ToolObservation {

    static final String CALLS = "helpstream.tool.calls";

    private ToolObservation() {
    }

    /** The same executors, each measured. */
    public static Map<ToolSpecification, ToolExecutor> around(Map<ToolSpecification, ToolExecutor> executors,
                                                              MeterRegistry registry) {
        Objects.requireNonNull(registry, "registry");
        Map<ToolSpecification, ToolExecutor> observed = new LinkedHashMap<>();
        executors.forEach((specification, executor) -> observed.put(specification,
                new Observed(specification.name(), executor, registry)));
        return Collections.unmodifiableMap(observed);
    }

    private record Observed(String tool, ToolExecutor executor, MeterRegistry registry) implements ToolExecutor {

        @Override
        public ToolExecutionResult executeWithContext(ToolExecutionRequest request, InvocationContext context) {
            long start = System.nanoTime();
            String outcome = "error";
            try {
                ToolExecutionResult result = executor.executeWithContext(request, context);
                outcome = outcomeOf(result);
                return result;
            } finally {
                Timer.builder(CALLS).description("Tool calls by tool and outcome").tag("tool", tool)
                        .tag("outcome", outcome).register(registry)
                        .record(System.nanoTime() - start, java.util.concurrent.TimeUnit.NANOSECONDS);
            }
        }

        @Override
        public String execute(ToolExecutionRequest request, Object memoryId) {
            return executor.execute(request, memoryId);
        }

        private static String outcomeOf(ToolExecutionResult result) {
            if (result == null) {
                return "other";
            }
            if (result.isError()) {
                return "error";
            }
            return ToolResults.read(result.resultText()).map(ToolResults::kindOf).orElse("other");
        }
    }
}
