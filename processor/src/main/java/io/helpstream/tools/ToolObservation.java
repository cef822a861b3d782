package io.helpstream.tools;

import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.invocation.InvocationContext;
import dev.langchain4j.service.tool.ToolExecutionResult;
import dev.langchain4j.service.tool.ToolExecutor;
import io.helpstream.telemetry.GenAi;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * Every tool call measured in {@value #CALLS}, by tool and outcome: the kind of result the tool gave
 * ({@code customer_found}, {@code ticket_created}, {@code limit_reached}, ...), {@code error} when it threw (the
 * model then gets a short error instead), or {@code other} for a result that is not one of the {@link ToolResult}
 * kinds; and traced as a span {@code execute_tool <tool>} (GenAI conventions), a child of the turn's. No argument and
 * no result is recorded: they hold what the customer said and who they are.
 */
public final class ToolObservation {

    static final String CALLS = "helpstream.tool.calls";
    static final AttributeKey<String> OUTCOME = AttributeKey.stringKey("helpstream.tool.outcome");

    private ToolObservation() {
    }

    /** The same executors, each measured and traced. */
    public static Map<ToolSpecification, ToolExecutor> around(Map<ToolSpecification, ToolExecutor> executors,
                                                              MeterRegistry registry, Tracer tracer) {
        Objects.requireNonNull(registry, "registry");
        Objects.requireNonNull(tracer, "tracer");
        Map<ToolSpecification, ToolExecutor> observed = new LinkedHashMap<>();
        executors.forEach((specification, executor) -> observed.put(specification,
                new Observed(specification.name(), executor, registry, tracer)));
        return Collections.unmodifiableMap(observed);
    }

    private record Observed(String tool, ToolExecutor executor, MeterRegistry registry, Tracer tracer)
            implements ToolExecutor {

        @Override
        public ToolExecutionResult executeWithContext(ToolExecutionRequest request, InvocationContext context) {
            long start = System.nanoTime();
            Span span = tracer.spanBuilder("execute_tool " + tool).setSpanKind(SpanKind.INTERNAL)
                    .setAttribute(GenAi.OPERATION_NAME, "execute_tool")
                    .setAttribute(GenAi.TOOL_NAME, tool)
                    .setAttribute(GenAi.TOOL_CALL_ID, request.id() == null ? "" : request.id())
                    .startSpan();
            String outcome = "error";
            try {
                ToolExecutionResult result = executor.executeWithContext(request, context);
                outcome = outcomeOf(result);
                return result;
            } catch (RuntimeException | Error e) {
                span.setStatus(StatusCode.ERROR).setAttribute(GenAi.ERROR_TYPE, e.getClass().getName());
                throw e;
            } finally {
                span.setAttribute(OUTCOME, outcome).end();
                Timer.builder(CALLS).description("Tool calls by tool and outcome").tag("tool", tool)
                        .tag("outcome", outcome).register(registry)
                        .record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
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
