package io.helpstream.agent;

import io.helpstream.agent.openai.ResilienceSettings;
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
 * @param timeout     longest wait for one model call (one HTTP request; retries come on top)
 * @param resilience  retries, circuit breaker, bulkhead and rate limit of the remote model
 */
public record ModelSettings(Kind kind, Optional<String> apiKey, Optional<String> baseUrl, String modelName,
                            double temperature, Duration timeout, ResilienceSettings resilience) {

    public enum Kind { OFFLINE, OPENAI }

    public ModelSettings {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(apiKey, "apiKey");
        Objects.requireNonNull(baseUrl, "baseUrl");
        Objects.requireNonNull(modelName, "modelName");
        Objects.requireNonNull(timeout, "timeout");
        Objects.requireNonNull(resilience, "resilience");
    }

    /** With the default {@link ResilienceSettings}. */
    public ModelSettings(Kind kind, Optional<String> apiKey, Optional<String> baseUrl, String modelName,
                         double temperature, Duration timeout) {
        this(kind, apiKey, baseUrl, modelName, temperature, timeout, ResilienceSettings.defaults());
    }

    /** An OpenAI-compatible server with the given key, URL and model, and default timeouts and guards. */
    public static ModelSettings openAi(String apiKey, String baseUrl, String modelName) {
        return new ModelSettings(Kind.OPENAI, Optional.of(apiKey), Optional.ofNullable(baseUrl), modelName, 0.2,
                Duration.ofSeconds(60));
    }

    public ModelSettings withTimeout(Duration otherTimeout) {
        return new ModelSettings(kind, apiKey, baseUrl, modelName, temperature, otherTimeout, resilience);
    }

    public ModelSettings withResilience(ResilienceSettings otherResilience) {
        return new ModelSettings(kind, apiKey, baseUrl, modelName, temperature, timeout, otherResilience);
    }

    public static ModelSettings offline() {
        return new ModelSettings(Kind.OFFLINE, Optional.empty(), Optional.empty(), "gpt-4o-mini", 0.2,
                Duration.ofSeconds(60));
    }

    @Override
    public String toString() {
        return "ModelSettings[kind=" + kind + ", apiKey=" + apiKey.map(k -> "****").orElse("none") + ", baseUrl="
                + baseUrl.orElse("default") + ", modelName=" + modelName + ", temperature=" + temperature
                + ", timeout=" + timeout + ", resilience=" + resilience + "]";
    }
}
