package io.helpstream.agent.openai;

import dev.langchain4j.model.openai.OpenAiChatModel;
import io.helpstream.agent.ModelSettings;
import io.micrometer.core.instrument.MeterRegistry;

/** Builds the OpenAI-compatible chat model: LangChain4j's client without its own retries, behind the guards. */
public final class OpenAiModels {

    /** Where requests go when {@code OPENAI_BASE_URL} is not set. */
    public static final String OPENAI_BASE_URL = "https://api.openai.com/v1";

    private OpenAiModels() {
    }

    public static ResilientChatModel create(ModelSettings settings, MeterRegistry registry) {
        if (settings.kind() != ModelSettings.Kind.OPENAI) {
            throw new IllegalArgumentException("not an OpenAI model setting: " + settings);
        }
        OpenAiChatModel model = OpenAiChatModel.builder()
                .baseUrl(baseUrl(settings))
                .apiKey(settings.apiKey().orElseThrow(() -> new IllegalArgumentException("OPENAI_API_KEY is missing")))
                .modelName(settings.modelName())
                .temperature(settings.temperature())
                // Here, not on the HTTP client builder: the model sets the client's timeouts from this value.
                .timeout(settings.timeout())
                // Retries are the guards' job, which classify failures and honour Retry-After.
                .maxRetries(0)
                .httpClientBuilder(new ModelHttpClientBuilder())
                .build();
        return new ResilientChatModel(model, settings.resilience(), registry);
    }

    /** Checks key, URL and model name once; logs what is wrong and never fails. */
    public static ModelProbe.Result probe(ModelSettings settings) {
        return ModelProbe.check(baseUrl(settings), settings.apiKey().orElse(""), settings.modelName(),
                settings.timeout());
    }

    static String baseUrl(ModelSettings settings) {
        return settings.baseUrl().orElse(OPENAI_BASE_URL);
    }
}
