package io.helpstream.conversation;

import static io.helpstream.conversation.TopologyHarness.message;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.crypto.tink.KeysetHandle;
import io.helpstream.contract.ConversationStores;
import io.helpstream.contract.SealedValues;
import io.helpstream.contract.Topics;
import io.helpstream.protection.DataProtection;
import io.helpstream.protection.DeadLetterPayload;
import io.helpstream.protection.DeadLetterPolicy;
import io.helpstream.protection.TestKeysets;
import io.helpstream.protection.ValueCipher;
import io.helpstream.schema.CustomerMessage;
import io.helpstream.schema.TokenUsage;
import io.helpstream.turn.Agent;
import io.helpstream.turn.TurnOutcome;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Every way a record reaches the dead-letter topic, with a customer text and email a failure might echo, under each
 * payload policy: no header (reason, stack trace) carries the text or the email; {@code keep} keeps the bytes as they
 * were, {@code encrypt} encrypts them so that the keyset gives them back, {@code redact} keeps ids, reason and size.
 */
class DeadLetterPolicyTopologyTest {

    private static final String EMAIL = "jane.doe@example.com";
    private static final String INTRUDER = "mallory@example.com";
    private static final String SECRET = "card 4111 1111 1111 1111 exp 09/29";
    private static final KeysetHandle KEYSET = TestKeysets.fresh();

    @TempDir
    Path stateDir;
    private final CountDownLatch never = new CountDownLatch(1);

    @AfterEach
    void release() {
        never.countDown();
    }

    /** Fails a turn with a library's exception quoting the text and email, hangs one, or answers too much. */
    private Agent hostile() {
        return request -> {
            String text = request.message().getText();
            if (text.startsWith("hang")) {
                never.await();
            }
            if (text.startsWith("huge")) {
                return TurnOutcome.builder().replyText((SECRET + EMAIL).repeat(500)).model("fake")
                        .usage(new TokenUsage(1, 1, 2)).build();
            }
            if (text.startsWith("fail")) {
                // As a library fails: its message quotes the input (NumberFormatException: For input string: "...").
                Integer.parseInt(text + " from " + request.conversation().getCustomer().getEmail());
            }
            return TurnOutcome.builder().replyText("ok").model("fake").usage(new TokenUsage(1, 1, 2)).build();
        };
    }

    private static DataProtection protection(DeadLetterPayload payload) {
        ValueCipher cipher = payload == DeadLetterPayload.ENCRYPT ? TestKeysets.cipher(KEYSET) : ValueCipher.none();
        return new DataProtection(cipher, payload, DataProtection.DEFAULT_DEAD_LETTER_RETENTION);
    }

    private static CustomerMessage from(String email, String conversationId, String messageId, String text) {
        return CustomerMessage.newBuilder(message(conversationId, messageId, text)).setCustomerEmail(email).build();
    }

    @ParameterizedTest
    @EnumSource(DeadLetterPayload.class)
    void should_never_put_the_customers_text_or_email_into_a_dead_letter_header(DeadLetterPayload payload) {
        ConversationSettings settings = ConversationSettings.defaults()
                .withTurns(1, Duration.ofMillis(10), Duration.ofSeconds(30)).withMaxRecordBytes(10_000)
                .withMessageLimits(new MessageLimits(200, 64, 32, 4096))
                .withInboxLimits(new InboxLimits(1, 262_144, 10));
        List<TestRecord<byte[], byte[]>> dead = new ArrayList<>();
        List<byte[]> planted = new ArrayList<>();
        try (TopologyHarness h = new TopologyHarness(hostile(), 4, settings, stateDir, protection(payload))) {
            h.send(from(EMAIL, "bound", "m1", "hello"));
            h.awaitReplies(1);
            // Invalid: another customer in a bound conversation, a malformed email, a text over the limit.
            h.send(from(INTRUDER, "bound", "m2", SECRET));
            h.send(from(EMAIL + "@", "c2", "m3", SECRET));
            h.send(from(EMAIL, "c3", "m4", SECRET.repeat(10)));
            // Unreadable: bytes that are not a message.
            byte[] garbage = ("\u0042" + SECRET + EMAIL).getBytes(StandardCharsets.UTF_8);
            planted.add(garbage);
            h.rawMessages.pipeInput(new TestRecord<>("c4".getBytes(StandardCharsets.UTF_8), garbage));
            // A full inbox: one message waits while a turn hangs, the next is refused.
            h.send(from(EMAIL, "c5", "m5", "hang " + SECRET));
            h.send(from(EMAIL, "c5", "m6", "and " + SECRET));
            // A turn that fails quoting the text and email; one whose reply is too large to be written.
            h.send(from(EMAIL, "c6", "m7", "fail " + SECRET));
            h.send(from(EMAIL, "c7", "m8", "huge " + SECRET));
            // An unreadable stored state.
            byte[] damaged = ("not a state " + SECRET + EMAIL).getBytes(StandardCharsets.UTF_8);
            planted.add(damaged);
            h.driver.getKeyValueStore(ConversationStores.META).put("c8", damaged);
            h.send(from(EMAIL, "c8", "m9", "hello again"));
            h.pumpUntil(() -> {
                dead.addAll(h.deadLetters.readRecordsToList());
                return dead.size() >= 8;
            });
        }

        assertThat(dead).extracting(record -> header(record, "__streams.errors.message"))
                .anySatisfy(reason -> assertThat(reason).startsWith("IDENTITY_MISMATCH"))
                .anySatisfy(reason -> assertThat(reason).startsWith("INVALID_EMAIL"))
                .anySatisfy(reason -> assertThat(reason).startsWith("TEXT_TOO_LONG"))
                .anySatisfy(reason -> assertThat(reason).startsWith("not Avro single-object encoding"))
                .anySatisfy(reason -> assertThat(reason).startsWith("INBOX_FULL"))
                .anySatisfy(reason -> assertThat(reason).startsWith("its turn failed 1 times"))
                .anySatisfy(reason -> assertThat(reason).startsWith("its turn's outcome could not be written"))
                .anySatisfy(reason -> assertThat(reason).startsWith("unreadable conversation state"));
        for (TestRecord<byte[], byte[]> record : dead) {
            for (Header header : record.headers()) {
                String value = header.value() == null ? "" : new String(header.value(), StandardCharsets.UTF_8);
                assertThat(value).as("header %s of a dead letter", header.key())
                        .doesNotContain("4111", "jane.doe", "mallory");
            }
            checkPayload(payload, record, planted);
        }
    }

    /** What the payload holds under the policy, and that a kept or encrypted one gives the record back. */
    private static void checkPayload(DeadLetterPayload payload, TestRecord<byte[], byte[]> record,
                                     List<byte[]> planted) {
        String kind = header(record, DeadLetters.RECORD);
        switch (payload) {
            case REDACT -> {
                assertThat(header(record, DeadLetterPolicy.PAYLOAD)).isEqualTo("redacted");
                assertThat(record.value()).isEmpty();
                assertThat(Integer.parseInt(header(record, DeadLetterPolicy.PAYLOAD_BYTES))).isPositive();
                if (kind.equals(DeadLetters.CUSTOMER_MESSAGE)
                        && !header(record, "__streams.errors.message").startsWith("not Avro")) {
                    assertThat(header(record, DeadLetterPolicy.MESSAGE_ID)).startsWith("m");
                }
            }
            case KEEP, ENCRYPT -> {
                byte[] plain = record.value();
                if (payload == DeadLetterPayload.ENCRYPT) {
                    assertThat(header(record, DeadLetterPolicy.PAYLOAD)).isEqualTo("encrypted");
                    assertThat(new String(plain, StandardCharsets.ISO_8859_1)).doesNotContain("4111", "jane.doe");
                    plain = TestKeysets.cipher(KEYSET).open(SealedValues.DEAD_LETTERS, record.key(), plain);
                } else {
                    assertThat(header(record, DeadLetterPolicy.PAYLOAD)).isEqualTo("plain");
                }
                byte[] original = plain;
                boolean readable = planted.stream().noneMatch(bytes -> java.util.Arrays.equals(bytes, original));
                if (readable) {
                    assertThat(kind).isEqualTo(DeadLetters.CUSTOMER_MESSAGE);
                    assertThat(Topics.CUSTOMER_MESSAGE.decode(plain).getConversationId())
                            .isEqualTo(new String(record.key(), StandardCharsets.UTF_8));
                }
            }
        }
    }

    private static String header(TestRecord<byte[], byte[]> record, String name) {
        Header header = record.headers().lastHeader(name);
        assertThat(header).as("header %s", name).isNotNull();
        return new String(header.value(), StandardCharsets.UTF_8);
    }
}
