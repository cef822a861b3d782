package io.helpstream.agent;

import io.helpstream.agent.offline.OfflineChatModel;
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

    /** Where requests go when {@code OPENAI_BASE_URL} is not set. */
    public static final String OPENAI_BASE_URL = "https://api.openai.com/v1";
    public static final String DEFAULT_MODEL_NAME = "gpt-4o-mini";
    public static final double DEFAULT_TEMPERATURE = 0.2;
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);

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
        return new ModelSettings(Kind.OPENAI, Optional.of(apiKey), Optional.ofNullable(baseUrl), modelName,
                DEFAULT_TEMPERATURE, DEFAULT_TIMEOUT);
    }

    public ModelSettings withTimeout(Duration otherTimeout) {
        return new ModelSettings(kind, apiKey, baseUrl, modelName, temperature, otherTimeout, resilience);
    }

    public ModelSettings withResilience(ResilienceSettings otherResilience) {
        return new ModelSettings(kind, apiKey, baseUrl, modelName, temperature, timeout, otherResilience);
    }

    public static ModelSettings offline() {
        return new ModelSettings(Kind.OFFLINE, Optional.empty(), Optional.empty(), DEFAULT_MODEL_NAME,
                DEFAULT_TEMPERATURE, DEFAULT_TIMEOUT);
    }

    /** The server asked: the configured base URL, or OpenAI's. */
    public String baseUrlOrDefault() {
        return baseUrl.orElse(OPENAI_BASE_URL);
    }

    /** The model name replies carry: the offline model's own, or the one asked of the server. */
    public String replyModelName() {
        return kind == Kind.OFFLINE ? OfflineChatModel.MODEL_NAME : modelName;
    }

    @Override
    public String toString() {
        return "ModelSettings[kind=" + kind + ", apiKey=" + apiKey.map(k -> "****").orElse("none") + ", baseUrl="
                + baseUrl.orElse("default") + ", modelName=" + modelName + ", temperature=" + temperature
                + ", timeout=" + timeout + ", resilience=" + resilience + "]";
    }
}
