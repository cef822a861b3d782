package io.helpstream.config;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Which chat model answers.
 *
 * @param kind        {@code offline} (built in, deterministic, no network) or {@code openai} (any compatible server)
 * @param apiKey      OpenAI key; required for {@code openai}
 * @param baseUrl     server of an OpenAI-compatible API; empty for OpenAI itself
 * @param modelName   model to ask for
 * @param temperature sampling temperature
 * @param timeout     longest wait for one model call
 */
public record ModelSettings(Kind kind, Optional<String> apiKey, Optional<String> baseUrl, String modelName,
                            double temperature, Duration timeout) {

    public enum Kind { OFFLINE, OPENAI }

    public ModelSettings {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(apiKey, "apiKey");
        Objects.requireNonNull(baseUrl, "baseUrl");
        Objects.requireNonNull(modelName, "modelName");
        Objects.requireNonNull(timeout, "timeout");
    }

    public static ModelSettings offline() {
        return new ModelSettings(Kind.OFFLINE, Optional.empty(), Optional.empty(), "gpt-4o-mini", 0.2,
                Duration.ofSeconds(60));
    }

    @Override
    public String toString() {
        return "ModelSettings[kind=" + kind + ", apiKey=" + apiKey.map(k -> "****").orElse("none") + ", baseUrl="
                + baseUrl.orElse("default") + ", modelName=" + modelName + ", temperature=" + temperature
                + ", timeout=" + timeout + "]";
    }
}
