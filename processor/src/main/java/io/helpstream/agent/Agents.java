package io.helpstream.agent;

import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.openai.OpenAiChatModel;
import io.helpstream.agent.offline.OfflineChatModel;
import io.helpstream.agent.openai.ModelHttpClientBuilder;
import io.helpstream.agent.openai.ModelProbe;
import io.helpstream.agent.openai.ResilientChatModel;
import io.helpstream.journal.TurnJournals;
import io.helpstream.telemetry.Tracing;
import io.helpstream.tickets.SupportRepository;
import io.helpstream.tickets.TokenLedger;
import io.helpstream.tools.SupportTools;
import io.helpstream.turn.Agent;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.List;
import java.util.Objects;

/**
 * Builds the agent that answers turns: the one place its chain is put together, so tests and benchmarks that bring
 * their own chat model run the very chain production runs.
 *
 * <pre>
 *  RecordedTicketEvents ─▶ FallbackAgent ─┬─▶ LangChainAgent(model)            + support tools
 *                                         └─▶ LangChainAgent(offline model)    (when model is unavailable)
 * </pre>
 */
public final class Agents {

    private Agents() {
    }

    /**
     * The configured chat model: the built-in offline one, or the OpenAI-compatible server behind retries, breaker,
     * bulkhead and rate limiter. The server is probed once here, so a bad key or URL shows in the start-up log.
     */
    public static ChatModel chatModel(ModelSettings settings, MeterRegistry registry) {
        Objects.requireNonNull(settings, "settings");
        return switch (settings.kind()) {
            case OFFLINE -> new OfflineChatModel();
            case OPENAI -> {
                probe(settings);
                yield openAi(settings, registry);
            }
        };
    }

    /** The OpenAI-compatible model: LangChain4j's client without retries of its own, behind the guards. */
    public static ResilientChatModel openAi(ModelSettings settings, MeterRegistry registry) {
        if (settings.kind() != ModelSettings.Kind.OPENAI) {
            throw new IllegalArgumentException("not an OpenAI model setting: " + settings);
        }
        OpenAiChatModel model = OpenAiChatModel.builder()
                .baseUrl(settings.baseUrlOrDefault())
                .apiKey(settings.apiKey().orElseThrow(() -> new IllegalArgumentException("OPENAI_API_KEY is missing")))
                .modelName(settings.modelName())
                .temperature(settings.temperature())
                .maxTokens(settings.maxOutputTokens())
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
        return ModelProbe.check(settings.baseUrlOrDefault(), settings.apiKey().orElse(""), settings.modelName(),
                settings.timeout());
    }

    /**
     * The agent around {@code model}: the support tools on {@code repository}; unless {@code model} is the offline
     * one, the offline model answers (degraded) the turns {@code model} cannot; and a turn that may follow another
     * attempt publishes the events of every ticket write its message caused. Both models record into one journal of
     * the turn: the fallback replays the steps the model took before it failed and goes on from there.
     *
     * @param agentName recorded as the assigned agent on tickets the agent updates
     */
    public static Agent create(ChatModel model, AgentSettings settings, SupportRepository repository,
                               String agentName, MeterRegistry registry) {
        return create(model, settings, repository, TokenLedger.NONE, TurnJournals.inMemory(registry), agentName,
                registry, Tracing.off());
    }

    /** @param journals where the steps of turns are recorded, for reruns to replay */
    public static Agent create(ChatModel model, AgentSettings settings, SupportRepository repository,
                               TurnJournals journals, String agentName, MeterRegistry registry) {
        return create(model, settings, repository, TokenLedger.NONE, journals, agentName, registry, Tracing.off());
    }

    /** @param ledger where each verified customer's tokens of the day are counted, for their daily budget */
    public static Agent create(ChatModel model, AgentSettings settings, SupportRepository repository,
                               TokenLedger ledger, String agentName, MeterRegistry registry) {
        return create(model, settings, repository, ledger, TurnJournals.inMemory(registry), agentName, registry,
                Tracing.off());
    }

    /** @param tracing where each model call and each tool call is traced, as a child of the turn's span */
    public static Agent create(ChatModel model, AgentSettings settings, SupportRepository repository,
                               TokenLedger ledger, TurnJournals journals, String agentName, MeterRegistry registry,
                               Tracing tracing) {
        Clock clock = Clock.systemUTC();
        List<Object> tools = SupportTools.create(repository, agentName, settings.verification(),
                settings.handoffTool(), clock);
        Agent primary = new LangChainAgent(model, tools, settings, ledger, journals, clock, registry, tracing);
        Agent answering = model instanceof OfflineChatModel ? primary
                : new FallbackAgent(primary, new LangChainAgent(new OfflineChatModel(), tools, settings, ledger,
                journals, clock, registry, tracing), registry);
        return new RecordedTicketEvents(answering, repository);
    }
}
