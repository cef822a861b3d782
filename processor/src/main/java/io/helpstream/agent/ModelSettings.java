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
 * @param maxOutputTokens most tokens one model response may have ({@code max_tokens}): bounds the size and the cost of
 *                    every reply and tool call the model writes
 */
public record ModelSettings(Kind kind, Optional<String> apiKey, Optional<String> baseUrl, String modelName,
                            double temperature, Duration timeout, ResilienceSettings resilience,
                            int maxOutputTokens) {

    public enum Kind { OFFLINE, OPENAI }

    /** Where requests go when {@code OPENAI_BASE_URL} is not set. */
    public static final String OPENAI_BASE_URL = "https://api.openai.com/v1";
    public static final String DEFAULT_MODEL_NAME = "gpt-4o-mini";
    public static final double DEFAULT_TEMPERATURE = 0.2;
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);
    public static final int DEFAULT_MAX_OUTPUT_TOKENS = 1_024;

    public ModelSettings {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(apiKey, "apiKey");
        Objects.requireNonNull(baseUrl, "baseUrl");
        Objects.requireNonNull(modelName, "modelName");
        Objects.requireNonNull(timeout, "timeout");
        Objects.requireNonNull(resilience, "resilience");
        if (maxOutputTokens < 1) {
            throw new IllegalArgumentException("maxOutputTokens must be >= 1, was " + maxOutputTokens);
        }
    }

    /** With the default {@link ResilienceSettings}. */
    public ModelSettings(Kind kind, Optional<String> apiKey, Optional<String> baseUrl, String modelName,
                         double temperature, Duration timeout) {
        this(kind, apiKey, baseUrl, modelName, temperature, timeout, ResilienceSettings.defaults(),
                DEFAULT_MAX_OUTPUT_TOKENS);
    }

    /** An OpenAI-compatible server with the given key, URL and model, and default timeouts and guards. */
    public static ModelSettings openAi(String apiKey, String baseUrl, String modelName) {
        return new ModelSettings(Kind.OPENAI, Optional.of(apiKey), Optional.ofNullable(baseUrl), modelName,
                DEFAULT_TEMPERATURE, DEFAULT_TIMEOUT);
    }

    public ModelSettings withTimeout(Duration otherTimeout) {
        return new ModelSettings(kind, apiKey, baseUrl, modelName, temperature, otherTimeout, resilience,
                maxOutputTokens);
    }

    public ModelSettings withResilience(ResilienceSettings otherResilience) {
        return new ModelSettings(kind, apiKey, baseUrl, modelName, temperature, timeout, otherResilience,
                maxOutputTokens);
    }

    public ModelSettings withMaxOutputTokens(int otherMaxOutputTokens) {
        return new ModelSettings(kind, apiKey, baseUrl, modelName, temperature, timeout, resilience,
                otherMaxOutputTokens);
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
                + ", timeout=" + timeout + ", resilience=" + resilience + ", maxOutputTokens=" + maxOutputTokens + "]";
    }
}
