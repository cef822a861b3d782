package io.helpstream.agent;

import io.helpstream.agent.offline.OfflineChatModel;
import io.helpstream.agent.openai.OpenAiModels;
import io.helpstream.agent.ModelSettings;
import io.helpstream.turn.Agent;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import java.util.Objects;

/** Builds the agent for the configured model. */
public final class Agents {

    private Agents() {
    }

    /**
     * {@code offline}: the built-in model. {@code openai}: the remote model behind retries, breaker, bulkhead and rate
     * limiter, with the offline model answering (degraded) the turns it cannot; the server is probed once here so a
     * bad key or URL shows in the start-up log.
     */
    public static Agent create(ModelSettings model, List<Object> tools, AgentSettings settings,
                               MeterRegistry registry) {
        Objects.requireNonNull(model, "model");
        LangChainAgent offline = new LangChainAgent(new OfflineChatModel(), tools, settings, registry);
        if (model.kind() == ModelSettings.Kind.OFFLINE) {
            return offline;
        }
        OpenAiModels.probe(model);
        LangChainAgent remote = new LangChainAgent(OpenAiModels.create(model, registry), tools, settings, registry);
        return new FallbackAgent(remote, offline, registry);
    }
}
