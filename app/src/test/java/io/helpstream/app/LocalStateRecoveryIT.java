package io.helpstream.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.helpstream.client.GatewayClient;
import io.helpstream.contract.ConversationStores;
import io.helpstream.schema.AgentReply;
import io.helpstream.schema.CustomerMessage;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * An instance killed while RocksDB created a store's files leaves a directory holding only a write-ahead log, which
 * RocksDB refuses to open. Starting on it deletes the instance's local state (nothing else), and the application
 * built again restores every store from its changelog: the conversation goes on where it was.
 */
class LocalStateRecoveryIT {

    @RegisterExtension
    static final RunningHelpstream HELPSTREAM = new RunningHelpstream();

    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    @TempDir
    Path machine;

    @Test
    void should_delete_local_state_it_cannot_open_and_restore_it_from_the_changelogs_on_the_next_start()
            throws IOException {
        Deployment deployment = HELPSTREAM.deployment();
        Map<String, String> sameMachine = Map.of("HELPSTREAM_STATE_DIR", machine.toString());
        String conversation = "local-state-" + UUID.randomUUID();
        CustomerMessage first;
        // The application creates the topics the gateway reads.
        Application app = deployment.build(sameMachine, new SimpleMeterRegistry()).start();
        try (GatewayClient gateway = new GatewayClient(HELPSTREAM.bootstrapServers(), deployment.topics())) {
            first = gateway.send(conversation, "john@example.com", "Hello, what's your return policy?");
            gateway.awaitReply(first.getMessageId(), TIMEOUT);
            app.close();

            Path segment = leaveOnlyAWriteAheadLog();
            Application broken = deployment.build(sameMachine, new SimpleMeterRegistry());
            assertThatThrownBy(broken::start).isInstanceOf(LocalStateWipedException.class)
                    .hasMessageContaining("could not be opened").hasMessageContaining("restored from the changelogs");
            assertThat(segment).as("the unreadable store is gone with the rest of the local state").doesNotExist();

            Application again = deployment.build(sameMachine, new SimpleMeterRegistry()).start();
            gateway.send(first);
            CustomerMessage second = gateway.send(conversation, "john@example.com",
                    "Thanks! Can you summarize what we discussed?");
            AgentReply summary = gateway.awaitReply(second.getMessageId(), TIMEOUT);
            assertThat(summary.getText()).as("the history came back from the changelog").contains("User messages: 2");
            List<AgentReply> toFirst = gateway.replies().stream()
                    .filter(reply -> reply.getInReplyTo().equals(first.getMessageId())).toList();
            assertThat(toFirst).as("the redelivered first message is remembered, so answered once").hasSize(1);
            again.close();
        }
    }

    /** Empties a segment of the message-id store but for a write-ahead log, as a kill during its creation leaves. */
    private Path leaveOnlyAWriteAheadLog() throws IOException {
        Path segment;
        try (Stream<Path> files = Files.walk(machine)) {
            segment = files.filter(Files::isDirectory)
                    .filter(dir -> dir.getFileName().toString().startsWith(ConversationStores.DEDUP + "."))
                    .findFirst().orElseThrow(() -> new AssertionError("no segment of the message-id store"));
        }
        Utils.delete(segment.toFile());
        Files.createDirectories(segment);
        Files.write(segment.resolve("000017.log"), new byte[] {1, 2, 3, 4});
        return segment;
    }
}
