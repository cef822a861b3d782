package io.helpstream.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import io.helpstream.agent.offline.OfflineChatModel;
import io.helpstream.app.CommittedRecords.KeyedValue;
import io.helpstream.client.GatewayClient;
import io.helpstream.contract.Topics;
import io.helpstream.schema.AgentReply;
import io.helpstream.schema.CustomerMessage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Two instances share the work; one is stopped (as SIGTERM stops it) while its turns wait on a slow model. It lets
 * them finish within its shutdown grace and commits their answers before it hands its partition over, so the other
 * instance runs none of them again: every message is answered once, and the model is asked exactly as often as an
 * undisturbed run asks it.
 */
class GracefulShutdownIT {

    @RegisterExtension
    static final RunningHelpstream HELPSTREAM = new RunningHelpstream();

    private static final int CONVERSATIONS = 20;
    /** The offline model answers an FAQ question in two calls: the look-up, then the answer. */
    private static final int CALLS_PER_MESSAGE = 2;
    private static final Duration TIMEOUT = Duration.ofSeconds(90);

    private final String run = UUID.randomUUID().toString().substring(0, 8);

    @Test
    void should_finish_and_commit_its_running_turns_before_it_hands_its_partitions_over() {
        Deployment deployment = HELPSTREAM.deployment(Map.of("HELPSTREAM_SHUTDOWN_GRACE", "30s"));
        AtomicInteger calls = new AtomicInteger();
        AtomicInteger callsOfStopped = new AtomicInteger();
        Application stopped = deployment.start(slow(calls, callsOfStopped));
        Application staying = deployment.start(slow(calls, new AtomicInteger()));
        List<CustomerMessage> sent = new ArrayList<>();
        try (GatewayClient gateway = new GatewayClient(staying.bootstrapServers(), deployment.topics())) {
            for (int c = 0; c < CONVERSATIONS; c++) {
                sent.add(gateway.send("graceful-" + run + "-" + c, "john@example.com",
                        "What's your return policy? " + c));
            }
            awaitUntil(() -> callsOfStopped.get() > 0, "the instance to stop has turns running");

            stopped.close();

            awaitUntil(() -> answered(gateway) == CONVERSATIONS, "every message answered");
            staying.close();
        }
        Map<String, Long> replies = CommittedRecords.read(HELPSTREAM.bootstrapServers(),
                deployment.topics().agentReplies().name(), Topics.AGENT_REPLY).stream().map(KeyedValue::value)
                .collect(Collectors.groupingBy(AgentReply::getInReplyTo, Collectors.counting()));
        assertThat(replies).hasSize(CONVERSATIONS).allSatisfy((id, count) -> assertThat(count).isOne());
        assertThat(replies.keySet()).containsExactlyInAnyOrderElementsOf(sent.stream()
                .map(CustomerMessage::getMessageId).toList());
        assertThat(calls).as("no turn asked the model again").hasValue(CONVERSATIONS * CALLS_PER_MESSAGE);
    }

    /** The offline model, a second per call, counting calls. */
    private static ChatModel slow(AtomicInteger calls, AtomicInteger callsHere) {
        OfflineChatModel offline = new OfflineChatModel();
        return new ChatModel() {
            @Override
            public ChatResponse doChat(ChatRequest request) {
                calls.incrementAndGet();
                callsHere.incrementAndGet();
                try {
                    Thread.sleep(1_000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted", e);
                }
                return offline.chat(request);
            }
        };
    }

    private static long answered(GatewayClient gateway) {
        gateway.poll(Duration.ofMillis(100));
        return gateway.replies().stream().map(AgentReply::getInReplyTo).distinct().count();
    }

    private static void awaitUntil(java.util.function.BooleanSupplier done, String what) {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (!done.getAsBoolean()) {
            assertThat(System.nanoTime()).as("waiting for %s", what).isLessThan(deadline);
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }
}
