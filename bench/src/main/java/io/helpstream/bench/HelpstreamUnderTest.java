package io.helpstream.bench;

import dev.langchain4j.model.chat.ChatModel;
import io.helpstream.app.Application;
import io.helpstream.config.Env;
import io.helpstream.config.HelpstreamConfig;
import io.helpstream.contract.ConversationStores;
import io.helpstream.contract.Topics;
import io.helpstream.localstack.ThrowawayEnvironment;
import io.helpstream.localstack.postgres.DatabaseUrl;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * helpstream as a deployment would configure it (the same environment variables), with topics, application id,
 * state directory and cache prefix of one benchmark. In process it runs the real application with a scripted chat
 * model; {@link #environment()} also configures a child process.
 */
final class HelpstreamUnderTest {

    /** Variables every helpstream of this run gets on top of its own (the bench's {@code --env} options). */
    private static volatile Map<String, String> common = Map.of();

    private final String name;
    private final Map<String, String> environment;
    private final Path stateDir;

    private HelpstreamUnderTest(String name, Map<String, String> environment, Path stateDir) {
        this.name = name;
        this.environment = Map.copyOf(environment);
        this.stateDir = stateDir;
    }

    /**
     * @param name        names the topics ({@code <name>.customer-messages} ...) and the application id
     * @param maxInFlight {@code HELPSTREAM_MAX_IN_FLIGHT_TURNS}
     * @param partitions  {@code HELPSTREAM_PARTITIONS}
     */
    static HelpstreamUnderTest of(ThrowawayEnvironment env, String name, int maxInFlight, int partitions) {
        Objects.requireNonNull(name, "name");
        Path stateDir = env.directory(name + "-state");
        Map<String, String> vars = new LinkedHashMap<>();
        vars.put("KAFKA_BOOTSTRAP_SERVERS", env.bootstrapServers());
        vars.put("HELPSTREAM_APPLICATION_ID", "bench-" + name + "-" + env.tag());
        vars.put("HELPSTREAM_STATE_DIR", stateDir.toString());
        vars.put("HELPSTREAM_PARTITIONS", Integer.toString(partitions));
        vars.put("HELPSTREAM_TOPIC_CUSTOMER_MESSAGES", name + ".customer-messages");
        vars.put("HELPSTREAM_TOPIC_AGENT_REPLIES", name + ".agent-replies");
        vars.put("HELPSTREAM_TOPIC_TICKET_EVENTS", name + ".ticket-events");
        vars.put("HELPSTREAM_TOPIC_CONVERSATION_EVENTS", name + ".conversation-events");
        vars.put("HELPSTREAM_TOPIC_DEAD_LETTERS", name + ".dead-letters");
        vars.put("HELPSTREAM_TOPIC_VERIFICATION_REQUESTS", name + ".verification-requests");
        vars.put("HELPSTREAM_TOPIC_AUDIT", name + ".audit");
        vars.put("HELPSTREAM_TOPIC_HANDOFFS", name + ".handoffs");
        vars.put("HELPSTREAM_TOPIC_AGENT_ACTIONS", name + ".agent-actions");
        // The benchmarks measure the pipeline, not the budgets: a flood or a long run must not meet them.
        vars.put("HELPSTREAM_MAX_MESSAGES_PER_MINUTE", "10000");
        vars.put("HELPSTREAM_MAX_TOKENS_PER_CONVERSATION", "1000000000");
        vars.put("HELPSTREAM_MAX_TOKENS_PER_CUSTOMER_PER_DAY", "1000000000");
        vars.put("HELPSTREAM_MAX_IN_FLIGHT_TURNS", Integer.toString(maxInFlight));
        vars.put("HELPSTREAM_MODEL", "offline");
        // A helpstream run as a child process would open its HTTP endpoint on the default port, which may be taken.
        vars.put("HELPSTREAM_HTTP_PORT", "0");
        DatabaseUrl database = env.database().url();
        vars.put("DATABASE_URL", database.jdbcUrl());
        if (database.user() != null) {
            vars.put("DATABASE_USER", database.user());
        }
        if (database.password() != null) {
            vars.put("DATABASE_PASSWORD", database.password());
        }
        vars.put("REDIS_URL", env.redis().url());
        vars.put("HELPSTREAM_CACHE_PREFIX", env.redis().prefix() + name + ":");
        vars.putAll(common);
        return new HelpstreamUnderTest(name, vars, stateDir);
    }

    /** Gives every helpstream started from now on these variables too (a benchmark may still set its own). */
    static void setCommonEnvironment(Map<String, String> variables) {
        common = Map.copyOf(variables);
    }

    /** The same helpstream with one more environment variable. */
    HelpstreamUnderTest with(String variable, String value) {
        Map<String, String> vars = new LinkedHashMap<>(environment);
        vars.put(variable, value);
        return new HelpstreamUnderTest(name, vars, stateDir);
    }

    /** The environment variables of this helpstream. */
    Map<String, String> environment() {
        return environment;
    }

    HelpstreamConfig config() {
        return HelpstreamConfig.fromEnvironment(new Env(environment));
    }

    Topics topics() {
        return config().topics();
    }

    /** The changelog topic of one of the conversation stores ({@link ConversationStores}). */
    String changelogTopic(String store) {
        return ConversationStores.changelog(config().streams().applicationId(), store);
    }

    Path stateDir() {
        return stateDir;
    }

    String name() {
        return name;
    }

    /** Starts the real application in this JVM, answering with {@code model}. */
    Application start(ChatModel model, MeterRegistry registry) {
        return Application.start(config(), registry, model);
    }

    Application start(ChatModel model) {
        return start(model, new SimpleMeterRegistry());
    }
}
