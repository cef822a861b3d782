package io.helpstream.conversation;

import static io.helpstream.conversation.TopologyHarness.message;
import static org.assertj.core.api.Assertions.assertThat;

import io.helpstream.schema.TokenUsage;
import io.helpstream.turn.Agent;
import io.helpstream.turn.TurnOutcome;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every dead letter says why in a code ({@code helpstream.reason}) and is counted under it
 * ({@code helpstream.dead.letters{reason}}), whoever wrote it: Kafka Streams' handlers or the processor.
 */
class DeadLetterReasonTopologyTest {

    @TempDir
    Path stateDir;

    private final CountDownLatch release = new CountDownLatch(1);

    private Agent agent() {
        return request -> {
            if (request.message().getText().equals("fail")) {
                throw new IllegalStateException("the model broke");
            }
            if (request.message().getText().equals("hold")) {
                release.await();
            }
            return TurnOutcome.builder().replyText("ok").model("fake").usage(new TokenUsage(0, 0, 0)).build();
        };
    }

    @Test
    void should_give_an_unreadable_record_and_an_invalid_message_their_codes() {
        try (TopologyHarness h = new TopologyHarness(agent(), 2, ConversationSettings.defaults(), stateDir)) {
            h.rawMessages.pipeInput("c1".getBytes(StandardCharsets.UTF_8), "garbage".getBytes(StandardCharsets.UTF_8));
            h.send(message("c2", "m1", ""));

            List<TestRecord<byte[], byte[]>> dead = h.deadLetters.readRecordsToList();

            assertThat(dead).extracting(DeadLetterReasonTopologyTest::reason)
                    .containsExactly("UNREADABLE_RECORD", "MISSING_FIELD");
        }
    }

    @Test
    void should_count_a_full_inbox_and_a_failed_turn_under_their_codes() {
        ConversationSettings settings = ConversationSettings.defaults()
                .withInboxLimits(new InboxLimits(1, 1_000_000, 10))
                .withTurns(1, Duration.ofMillis(10), Duration.ofMinutes(1));
        try (TopologyHarness h = new TopologyHarness(agent(), 2, settings, stateDir)) {
            h.send(message("c1", "m1", "hold"));
            h.send(message("c1", "m2", "one too many"));
            h.send(message("c2", "m3", "fail"));
            release.countDown();
            h.awaitReplies(3);

            assertThat(h.deadLetters.readRecordsToList()).extracting(DeadLetterReasonTopologyTest::reason)
                    .containsExactlyInAnyOrder("INBOX_FULL", "TURN_FAILED");
            assertThat(count(h, "INBOX_FULL")).isEqualTo(1);
            assertThat(count(h, "TURN_FAILED")).isEqualTo(1);
        }
    }

    private static double count(TopologyHarness h, String reason) {
        return h.registry.get(DeadLetters.METER).tag("reason", reason).counter().count();
    }

    private static String reason(TestRecord<byte[], byte[]> record) {
        Header header = record.headers().lastHeader(DeadLetters.REASON);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
