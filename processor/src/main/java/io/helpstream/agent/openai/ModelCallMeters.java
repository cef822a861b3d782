package io.helpstream.agent.openai;

import dev.langchain4j.model.output.TokenUsage;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Objects;

/**
 * Counters of remote model calls: {@code helpstream.model.calls{result=success|rate_limited|server_error|...}} per
 * attempt, and {@code helpstream.model.tokens{direction=input|output}} summed over successful calls.
 */
final class ModelCallMeters {

    private final MeterRegistry registry;
    private final Counter inputTokens;
    private final Counter outputTokens;

    ModelCallMeters(MeterRegistry registry) {
        this.registry = Objects.requireNonNull(registry, "registry");
        this.inputTokens = tokens("input");
        this.outputTokens = tokens("output");
    }

    void succeeded(TokenUsage usage) {
        calls("success").increment();
        if (usage != null) {
            inputTokens.increment(usage.inputTokenCount() == null ? 0 : usage.inputTokenCount());
            outputTokens.increment(usage.outputTokenCount() == null ? 0 : usage.outputTokenCount());
        }
    }

    void failed(ModelErrorKind kind) {
        calls(kind.tag()).increment();
    }

    private Counter calls(String result) {
        return Counter.builder("helpstream.model.calls").description("Remote model calls by result")
                .tag("result", result).register(registry);
    }

    private Counter tokens(String direction) {
        return Counter.builder("helpstream.model.tokens").description("Tokens of successful remote model calls")
                .tag("direction", direction).register(registry);
    }
}
