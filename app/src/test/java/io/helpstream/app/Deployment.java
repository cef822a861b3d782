package io.helpstream.app;

import dev.langchain4j.model.chat.ChatModel;
import io.helpstream.config.Env;
import io.helpstream.config.HelpstreamConfig;
import io.helpstream.contract.SealedValues;
import io.helpstream.contract.StoredConversations;
import io.helpstream.contract.Topics;
import io.helpstream.schema.ConversationState;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One helpstream deployment: a fixed environment (application id, topics, database, Redis) whose instances can be
 * started, stopped and started again. Every start gets a new, empty state directory, as a replacement machine would,
 * so the conversation store must be restored from its changelog.
 */
final class Deployment implements AutoCloseable {

    private final Map<String, String> environment;
    private final Path stateRoot;
    private final List<Application> started = new ArrayList<>();

    Deployment(Map<String, String> environment, Path stateRoot) {
        this.environment = Map.copyOf(environment);
        this.stateRoot = stateRoot;
    }

    /** Starts an instance with the offline model. */
    Application start() {
        return start(null);
    }

    /** Starts an instance with the given chat model (null: the configured one); waits until it is running. */
    Application start(ChatModel chatModel) {
        Application app = Application.start(instanceConfig(Map.of()), new SimpleMeterRegistry(), chatModel);
        started.add(app);
        return app;
    }

    /**
     * An instance built and not started, with these variables on top of the deployment's, its meters in
     * {@code registry}: for a test that starts an operations endpoint first.
     */
    Application build(Map<String, String> overrides, MeterRegistry registry) {
        Application app = Application.builder(instanceConfig(overrides)).registry(registry).build();
        started.add(app);
        return app;
    }

    /**
     * The configuration of a new instance: the deployment's, with a state directory of its own unless
     * {@code overrides} name one (an instance restarted on the same machine).
     */
    HelpstreamConfig instanceConfig(Map<String, String> overrides) {
        Map<String, String> env = new HashMap<>(environment);
        env.putAll(overrides);
        if (!overrides.containsKey("HELPSTREAM_STATE_DIR")) {
            env.put("HELPSTREAM_STATE_DIR", newStateDir().toString());
        }
        return HelpstreamConfig.fromEnvironment(new Env(env));
    }

    HelpstreamConfig config() {
        return HelpstreamConfig.fromEnvironment(new Env(environment));
    }

    Topics topics() {
        return config().topics();
    }

    String applicationId() {
        return config().streams().applicationId();
    }

    /** Every conversation as the committed records of the conversation changelogs hold it now. */
    Map<String, ConversationState> storedConversations(String bootstrapServers) {
        return storedConversations(bootstrapServers, null);
    }

    /** Like {@link #storedConversations(String)}, decrypting the values of a deployment with encryption. */
    Map<String, ConversationState> storedConversations(String bootstrapServers,
                                                       SealedValues.Decryption decryption) {
        StoredConversations stored = new StoredConversations(decryption);
        for (String changelog : StoredConversations.changelogs(applicationId())) {
            CommittedRecords.readRaw(bootstrapServers, changelog)
                    .forEach(record -> stored.accept(changelog, record.key(), record.value()));
        }
        return stored.conversations();
    }

    /** The committed audit records of one conversation, in the order they were written. */
    java.util.List<io.helpstream.schema.AuditRecord> audit(String bootstrapServers, String conversationId) {
        return CommittedRecords.read(bootstrapServers, topics().audit().name(), Topics.AUDIT_RECORD).stream()
                .map(CommittedRecords.KeyedValue::value)
                .filter(record -> record.getConversationId().equals(conversationId)).toList();
    }

    private Path newStateDir() {
        try {
            Files.createDirectories(stateRoot);
            return Files.createTempDirectory(stateRoot, "instance-");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a state directory under " + stateRoot, e);
        }
    }

    /** Stops every instance still running; closing one twice is harmless. */
    @Override
    public void close() {
        started.forEach(Application::close);
        started.clear();
    }
}
