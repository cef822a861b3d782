package io.helpstream.tools;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.service.tool.ToolExecutor;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ToolObservationTest {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    @Test
    void should_count_each_call_by_tool_and_the_kind_of_its_result() {
        ToolExecutor executor = observed("lookupCustomer",
                (request, memory) -> ToolResults.render(new ToolResult.CustomerNotFound("x@example.com")));

        executor.executeWithContext(call("lookupCustomer"), null);
        executor.executeWithContext(call("lookupCustomer"), null);

        assertThat(calls("lookupCustomer", "customer_not_found")).isEqualTo(2);
    }

    @Test
    void should_count_a_call_that_throws_as_an_error_and_let_the_error_through() {
        ToolExecutor executor = observed("createTicket", (request, memory) -> {
            throw new IllegalStateException("database down");
        });

        assertThatThrownBy(() -> executor.executeWithContext(call("createTicket"), null))
                .isInstanceOf(IllegalStateException.class);

        assertThat(calls("createTicket", "error")).isEqualTo(1);
    }

    @Test
    void should_count_a_result_of_no_known_kind_as_other() {
        observed("summarizeConversation", (request, memory) -> "a summary in words")
                .executeWithContext(call("summarizeConversation"), null);

        assertThat(calls("summarizeConversation", "other")).isEqualTo(1);
    }

    private ToolExecutor observed(String tool, ToolExecutor executor) {
        ToolSpecification specification = ToolSpecification.builder().name(tool).build();
        return ToolObservation.around(Map.of(specification, executor), registry,
                io.opentelemetry.api.OpenTelemetry.noop().getTracer("test")).get(specification);
    }

    private static ToolExecutionRequest call(String tool) {
        return ToolExecutionRequest.builder().id("1").name(tool).arguments("{}").build();
    }

    private double calls(String tool, String outcome) {
        return registry.get(ToolObservation.CALLS).tag("tool", tool).tag("outcome", outcome).timer().count();
    }
}
