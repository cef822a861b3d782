package io.helpstream.agent;

import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.data.message.ToolExecutionResultMessage;
import dev.langchain4j.service.tool.ToolErrorContext;
import dev.langchain4j.service.tool.ToolErrorHandlerResult;
import io.helpstream.protection.Redaction;
import io.helpstream.fencing.FencedException;
import io.helpstream.tickets.SupportRepositoryException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns a failing tool call into a short result the model can act on (never a stack trace), logs it with its cause
 * and counts it in {@value #METRIC}, tagged by tool. Plugged into the AI service's error handlers. A write refused by
 * its fence is not for the model to handle: it ends the turn ({@link FencedException} is thrown on).
 */
final class ToolErrors {

    static final String METRIC = "helpstream.tool.errors";
    private static final Logger log = LoggerFactory.getLogger(ToolErrors.class);
    private static final int MAX_DETAIL = 200;

    private final MeterRegistry meters;

    ToolErrors(MeterRegistry meters) {
        this.meters = Objects.requireNonNull(meters, "meters");
    }

    ToolErrorHandlerResult executionFailed(Throwable error, ToolErrorContext context) {
        if (FencedException.in(error)) {
            throw error instanceof RuntimeException runtime ? runtime : new IllegalStateException(error);
        }
        String tool = context.toolExecutionRequest().name();
        count(tool);
        if (error instanceof SupportRepositoryException) {
            // An outage fails every call alike: one line each, the stack only at debug level.
            log.warn("Tool {} failed (memory {}): {}", tool, context.memoryId(), error.getMessage());
            log.debug("Tool {} failure", tool, error);
            return ToolErrorHandlerResult.text("Error: the support system is unavailable right now, so " + tool
                    + " could not run. Apologise to the customer and suggest trying again in a few minutes.");
        }
        // The error's message may quote the arguments: its stack shows messages only where they are safe.
        log.warn("Tool {} failed (memory {}): {}", tool, context.memoryId(), Redaction.describe(error));
        log.debug("Tool {} failure", tool, error);
        return ToolErrorHandlerResult.text("Error: " + tool + " failed unexpectedly ("
                + error.getClass().getSimpleName() + "). Do not retry it in this turn; apologise to the customer.");
    }

    ToolErrorHandlerResult argumentsInvalid(Throwable error, ToolErrorContext context) {
        String tool = context.toolExecutionRequest().name();
        count(tool);
        // The arguments are the customer's words as the model passed them on: their size only, unless at DEBUG.
        log.warn("Tool {} called with invalid arguments ({} characters)", tool,
                String.valueOf(context.toolExecutionRequest().arguments()).length());
        log.debug("Tool {} invalid arguments {}: {}", tool, context.toolExecutionRequest().arguments(),
                error.getMessage());
        return ToolErrorHandlerResult.text("Error: the arguments for " + tool + " were not valid: "
                + shorten(String.valueOf(error.getMessage())) + ". Call it again with valid arguments.");
    }

    ToolExecutionResultMessage unknownTool(ToolExecutionRequest request) {
        count(request.name());
        log.warn("Model asked for unknown tool {}", request.name());
        return ToolExecutionResultMessage.from(request,
                "Error: there is no tool named " + request.name() + ". Use only the tools you were given.");
    }

    private void count(String tool) {
        Counter.builder(METRIC).description("Tool calls that failed and were reported to the model")
                .tag("tool", tool).register(meters).increment();
    }

    private static String shorten(String text) {
        return text.length() <= MAX_DETAIL ? text : text.substring(0, MAX_DETAIL) + "...";
    }
}
