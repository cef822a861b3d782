package io.helpstream.agent;

import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.openai.OpenAiChatModel;
import io.helpstream.agent.offline.OfflineChatModel;
import io.helpstream.config.ModelSettings;

/** Builds the configured chat model: the built-in offline one, or any OpenAI-compatible endpoint. */
public final class ChatModels {

    private ChatModels() {
    }

    public static ChatModel create(ModelSettings settings) {
        return switch (settings.kind()) {
            case OFFLINE -> new OfflineChatModel();
            case OPENAI -> {
                OpenAiChatModel.OpenAiChatModelBuilder builder = OpenAiChatModel.builder()
                        .apiKey(settings.apiKey().orElseThrow())
                        .modelName(settings.modelName())
                        .temperature(settings.temperature())
                        // Set here, not on the HTTP client builder, which the model would override.
                        .timeout(settings.timeout());
                settings.baseUrl().ifPresent(builder::baseUrl);
                yield builder.build();
            }
        };
    }

    /** The name replies carry for the configured model. */
    public static String name(ModelSettings settings) {
        return settings.kind() == ModelSettings.Kind.OFFLINE ? OfflineChatModel.MODEL_NAME : settings.modelName();
    }
}
