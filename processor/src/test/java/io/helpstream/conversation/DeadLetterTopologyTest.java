package io.helpstream.conversation;

import static io.helpstream.conversation.TopologyHarness.message;
import static org.assertj.core.api.Assertions.assertThat;

import io.helpstream.contract.ConversationStores;
import io.helpstream.contract.Topics;
import io.helpstream.schema.AgentReply;
import io.helpstream.schema.ConversationState;
import io.helpstream.schema.CustomerMessage;
import io.helpstream.schema.TokenUsage;
import io.helpstream.turn.TurnOutcome;
import io.helpstream.turn.TurnRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every kind of unreadable or invalid customer message reaches the dead-letter topic byte for byte, with headers
 * naming the reason, and the application goes on as if it had never come.
 */
class DeadLetterTopologyTest {

    private static final String BOUND = "bound";
    private static final String BOUND_EMAIL = "alice@example.com";
    private static final int MAX_TEXT = 50;
    private static final MessageLimits LIMITS = new MessageLimits(MAX_TEXT, 16, 2, 40);
    private static final String DESERIALISATION = SerializationException.class.getName();
    private static final String INVALID = InvalidMessageException.class.getName();

    @TempDir
    Path stateDir;

    /** One hostile record: its raw key and value, and the exception class and message start expected for it. */
    record Hostile(String name, byte[] key, byte[] value, String exception, String messageStart) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Arguments> hostileRecords() {
        Random random = new Random(42);
        byte[] valid = encode(message("c9", "m9", "hello"));
        byte[] garbage = new byte[64];
        random.nextBytes(garbage);
        garbage[0] = 0x42;
        byte[] unknownFingerprint = valid.clone();
        unknownFingerprint[5] ^= 0x5A;
        byte[] hugeLength = Arrays.copyOf(valid, 18);
        // The messageId's length prefix claims 2^30 - 1 bytes: a record of 18 bytes must not allocate that.
        System.arraycopy(new byte[] {(byte) 0xFE, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x07}, 0, hugeLength, 10, 5);
        byte[] trailing = Arrays.copyOf(valid, valid.length + 3);
        return Stream.of(
                hostile("random garbage", "c9", garbage, DESERIALISATION, "not Avro single-object encoding"),
                hostile("unknown schema fingerprint", "c9", unknownFingerprint, DESERIALISATION,
                        "unknown schema fingerprint"),
                hostile("truncated body", "c9", Arrays.copyOf(valid, valid.length - 4), DESERIALISATION,
                        "malformed CustomerMessage"),
                hostile("header only", "c9", Arrays.copyOf(valid, 10), DESERIALISATION,
                        "malformed CustomerMessage"),
                hostile("length prefix beyond the record", "c9", hugeLength, DESERIALISATION,
                        "malformed CustomerMessage"),
                hostile("bytes after the datum", "c9", trailing, DESERIALISATION, "malformed CustomerMessage"),
                hostile("null value", "c9", null, INVALID, "MISSING_VALUE"),
                new Hostile("null key", null, valid, INVALID, "EMPTY_KEY"),
                hostile("empty key", "", valid, INVALID, "EMPTY_KEY"),
                hostile("key differs from conversationId", "c8", valid, INVALID, "KEY_MISMATCH"),
                hostile("blank messageId", "c9", encode(with(message("c9", " ", "hello"), null)), INVALID,
                        "MISSING_FIELD"),
                hostile("blank text", "c9", encode(message("c9", "m9", "  \t")), INVALID, "MISSING_FIELD"),
                hostile("messageId with a slash", "c9", encode(message("c9", "m9/createTicket", "hello")), INVALID,
                        "INVALID_ID"),
                hostile("messageId too long", "c9", encode(message("c9", "m".repeat(201), "hello")), INVALID,
                        "INVALID_ID"),
                hostile("blank channel", "c9", encode(CustomerMessage.newBuilder(message("c9", "m9", "hello"))
                        .setChannel("").build()), INVALID, "MISSING_FIELD"),
                hostile("text too long", "c9", encode(message("c9", "m9", "x".repeat(MAX_TEXT + 1))), INVALID,
                        "TEXT_TOO_LONG"),
                hostile("text within the characters but not the bytes", "c9",
                        encode(message("c9", "m9", "\u65e5".repeat(MAX_TEXT / 3 + 1))), INVALID, "TEXT_TOO_LONG"),
                hostile("channel too long", "c9", encode(CustomerMessage.newBuilder(message("c9", "m9", "hello"))
                        .setChannel("w".repeat(17)).build()), INVALID, "CHANNEL_TOO_LONG"),
                hostile("too many metadata entries", "c9", encode(CustomerMessage.newBuilder(message("c9", "m9",
                        "hello")).setMetadata(Map.of("a", "1", "b", "2", "c", "3")).build()), INVALID,
                        "METADATA_TOO_LARGE"),
                hostile("metadata too large", "c9", encode(CustomerMessage.newBuilder(message("c9", "m9", "hello"))
                        .setMetadata(Map.of("locale", "x".repeat(35))).build()), INVALID, "METADATA_TOO_LARGE"),
                hostile("invalid customerEmail", "c9", encode(with(message("c9", "m9", "hello"), "alice@")),
                        INVALID, "INVALID_EMAIL"))
                .map(Arguments::of);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("hostileRecords")
    void should_dead_letter_the_record_unchanged_and_go_on(Hostile hostile) {
        ConversationSettings defaults = ConversationSettings.defaults();
        ConversationSettings settings = defaults.withMessageLimits(LIMITS);
        try (TopologyHarness h = new TopologyHarness(DeadLetterTopologyTest::echo, 2, settings, stateDir)) {
            h.send(with(message(BOUND, "m1", "hello"), BOUND_EMAIL));
            h.awaitReplies(1);
            KeyValueStore<String, byte[]> store = h.driver.getKeyValueStore(ConversationStores.META);
            byte[] boundBefore = store.get(BOUND);

            h.rawMessages.pipeInput(new TestRecord<>(hostile.key(), hostile.value()));

            List<TestRecord<byte[], byte[]>> dead = h.deadLetters.readRecordsToList();
            assertThat(dead).singleElement().satisfies(record -> {
                assertThat(record.key()).isEqualTo(hostile.key());
                assertThat(record.value()).isEqualTo(hostile.value());
                Headers headers = record.headers();
                assertThat(header(headers, "__streams.errors.exception")).isEqualTo(hostile.exception());
                assertThat(header(headers, "__streams.errors.message")).startsWith(hostile.messageStart());
                assertThat(header(headers, "__streams.errors.topic")).isEqualTo(TopologyHarness.TOPICS
                        .customerMessages().name());
                assertThat(header(headers, "__streams.errors.partition")).isEqualTo("0");
                assertThat(header(headers, "__streams.errors.offset")).isEqualTo("1");
            });
            assertThat(store.get(BOUND)).isEqualTo(boundBefore);
            assertThat(store.get("c8")).isNull();
            assertThat(store.get("c9")).isNull();

            h.send(with(message(BOUND, "m2", "still there?"), BOUND_EMAIL));
            h.send(message("c7", "m3", "me too"));
            List<AgentReply> replies = h.awaitReplies(3);
            h.pumpUntil(h::turnsIdle);
            h.advance(settings.applyInterval());

            assertThat(replies).extracting(AgentReply::getInReplyTo).containsExactlyInAnyOrder("m1", "m2", "m3");
            assertThat(h.replies.isEmpty()).isTrue();
            assertThat(h.deadLetters.isEmpty()).isTrue();
            assertThat(h.state(BOUND).getCustomer().getEmail()).isEqualTo(BOUND_EMAIL);
            assertThat(h.seen(BOUND, "m1")).isTrue();
            assertThat(h.seen(BOUND, "m2")).isTrue();
            assertThat(h.state(BOUND).getMessageCount()).isEqualTo(2);
        }
    }

    private static TurnOutcome echo(TurnRequest request) {
        return TurnOutcome.builder().replyText("echo " + request.message().getText()).model("fake")
                .usage(new TokenUsage(1, 1, 2)).build();
    }

    private static Hostile hostile(String name, String key, byte[] value, String exception, String messageStart) {
        return new Hostile(name, key.getBytes(StandardCharsets.UTF_8), value, exception, messageStart);
    }

    private static CustomerMessage with(CustomerMessage message, String email) {
        return CustomerMessage.newBuilder(message).setCustomerEmail(email).build();
    }

    private static byte[] encode(CustomerMessage message) {
        return Topics.CUSTOMER_MESSAGE.encode(message);
    }

    private static String header(Headers headers, String name) {
        Header header = headers.lastHeader(name);
        assertThat(header).as("header %s", name).isNotNull();
        return new String(header.value(), StandardCharsets.UTF_8);
    }
}
