package io.helpstream.agent;

import dev.langchain4j.model.chat.ChatModel;
import io.helpstream.agent.offline.OfflineChatModel;
import io.helpstream.agent.openai.OpenAiModels;
import io.helpstream.agent.ModelSettings;
import io.micrometer.core.instrument.MeterRegistry;

/** Builds the configured chat model: the built-in offline one, or any OpenAI-compatible endpoint. */
public final class ChatModels {

    private ChatModels() {
    }

    /** The model alone, without a fallback; {@link Agents#create} builds the agent with one. */
    public static ChatModel create(ModelSettings settings, MeterRegistry registry) {
        return switch (settings.kind()) {
            case OFFLINE -> new OfflineChatModel();
            case OPENAI -> OpenAiModels.create(settings, registry);
        };
    }

    /** The name replies carry for the configured model. */
    public static String name(ModelSettings settings) {
        return settings.kind() == ModelSettings.Kind.OFFLINE ? OfflineChatModel.MODEL_NAME : settings.modelName();
    }
}
