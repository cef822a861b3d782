package io.helpstream.conversation;

import static io.helpstream.conversation.TopologyHarness.message;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.crypto.tink.KeysetHandle;
import io.helpstream.contract.ConversationStores;
import io.helpstream.contract.SealedValues;
import io.helpstream.protection.DataProtection;
import io.helpstream.protection.DeadLetterPayload;
import io.helpstream.protection.TestKeysets;
import io.helpstream.protection.ValueCipher;
import io.helpstream.schema.AgentReply;
import io.helpstream.schema.CustomerMessage;
import io.helpstream.schema.TokenUsage;
import io.helpstream.turn.TurnOutcome;
import io.helpstream.turn.TurnRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * With a keyset configured, every value of the conversation stores is encrypted and bound to its store and key; a
 * task reads the plain records stored before encryption was turned on and those of an older primary key after a
 * rotation; a record no key of the keyset decrypts is dead-lettered and its conversation started afresh.
 */
class EncryptedStoresTopologyTest {

    private static final String EMAIL = "jane.doe@example.com";
    private static final String TEXT = "my card 4111 1111 1111 1111 was charged twice";
    private static final ConversationSettings ONE_PER_TURN = ConversationSettings.defaults()
            .withInboxLimits(new InboxLimits(50, 262_144, 1));

    @TempDir
    Path stateDir;

    private static TurnOutcome echo(TurnRequest request) {
        return TurnOutcome.builder().replyText("echo " + request.userText() + " after "
                        + request.conversation().getHistory().size() + " turns")
                .model("fake").usage(new TokenUsage(1, 1, 2)).build();
    }

    private static DataProtection encrypted(KeysetHandle keyset) {
        return new DataProtection(TestKeysets.cipher(keyset), DeadLetterPayload.KEEP,
                DataProtection.DEFAULT_DEAD_LETTER_RETENTION);
    }

    private static CustomerMessage fromJane(String conversationId, String messageId, String text) {
        return CustomerMessage.newBuilder(message(conversationId, messageId, text)).setCustomerEmail(EMAIL).build();
    }

    @Test
    void should_keep_no_customer_text_or_email_in_any_stored_value() {
        CountDownLatch release = new CountDownLatch(1);
        try (TopologyHarness h = new TopologyHarness(request -> {
            if (request.messageId().equals("m2")) {
                release.await();
            }
            return echo(request);
        }, 2, ONE_PER_TURN, stateDir, encrypted(TestKeysets.fresh()))) {
            h.send(fromJane("c1", "m1", TEXT));
            h.awaitReplies(1);
            h.send(fromJane("c1", "m2", "still " + TEXT));
            h.send(fromJane("c1", "m3", "and my phone is +44 20 7946 0958"));

            List<KeyValue<String, byte[]>> stored = storedValues(h);
            assertThat(stored).extracting(entry -> entry.key).contains(ConversationStores.META,
                    ConversationStores.PENDING, ConversationStores.HISTORY);
            assertThat(stored).allSatisfy(entry -> {
                assertThat(SealedValues.sealed(entry.value)).as("a value of %s is encrypted", entry.key).isTrue();
                String raw = new String(entry.value, StandardCharsets.ISO_8859_1);
                assertThat(raw).doesNotContain("4111", EMAIL, "jane", "7946");
            });
            assertThat(h.state("c1").getCustomer().getEmail()).isEqualTo(EMAIL);
            release.countDown();
            assertThat(h.awaitReplies(3)).extracting(AgentReply::getInReplyTo).containsExactly("m1", "m2", "m3");
        }
    }

    @Test
    void should_read_the_plain_records_stored_before_encryption_was_turned_on() {
        CountDownLatch never = new CountDownLatch(1);
        TopologyHarness plain = stuckAfterFirstTurn(never, DataProtection.none());
        try {
            StoreSuppliers restored = answeredOneAndWaiting(plain);

            try (TopologyHarness h = new TopologyHarness(EncryptedStoresTopologyTest::echo, 2, ONE_PER_TURN,
                    stateDir.resolve("encrypted"), restored, ONE_PER_TURN.turnTimeout(),
                    encrypted(TestKeysets.fresh()))) {
                List<AgentReply> replies = h.awaitReplies(1);

                assertThat(replies).singleElement().satisfies(reply -> {
                    assertThat(reply.getInReplyTo()).isEqualTo("m2");
                    assertThat(reply.getText()).isEqualTo("echo " + TEXT + " after 1 turns");
                });
                assertThat(h.state("c1").getCustomer().getEmail()).isEqualTo(EMAIL);
                KeyValueStore<String, byte[]> meta = h.driver.getKeyValueStore(ConversationStores.META);
                assertThat(SealedValues.sealed(meta.get("c1"))).as("rewritten encrypted").isTrue();
                assertThat(h.deadLetters.isEmpty()).isTrue();
            }
        } finally {
            never.countDown();
            plain.close();
        }
    }

    @Test
    void should_read_records_of_the_old_primary_key_after_a_rotation() {
        KeysetHandle old = TestKeysets.fresh();
        CountDownLatch never = new CountDownLatch(1);
        TopologyHarness before = stuckAfterFirstTurn(never, encrypted(old));
        try {
            StoreSuppliers restored = answeredOneAndWaiting(before);
            KeysetHandle rotated = TestKeysets.rotated(old);

            try (TopologyHarness h = new TopologyHarness(EncryptedStoresTopologyTest::echo, 2, ONE_PER_TURN,
                    stateDir.resolve("rotated"), restored, ONE_PER_TURN.turnTimeout(), encrypted(rotated))) {
                List<AgentReply> replies = h.awaitReplies(1);

                assertThat(replies).singleElement().extracting(AgentReply::getText)
                        .isEqualTo("echo " + TEXT + " after 1 turns");
                byte[] meta = h.driver.<String, byte[]>getKeyValueStore(ConversationStores.META).get("c1");
                assertThat(java.nio.ByteBuffer.wrap(meta, 3, 4).getInt()).as("written with the new primary")
                        .isEqualTo(rotated.getPrimary().getId());
                ValueCipher oldOnly = TestKeysets.cipher(old);
                org.assertj.core.api.Assertions.assertThatThrownBy(() -> oldOnly.open(ConversationStores.META,
                        "c1".getBytes(StandardCharsets.UTF_8), meta)).as("the old key alone no longer reads it")
                        .isInstanceOf(org.apache.kafka.common.errors.SerializationException.class);
                assertThat(h.deadLetters.isEmpty()).isTrue();
            }
        } finally {
            never.countDown();
            before.close();
        }
    }

    @Test
    void should_dead_letter_records_no_key_decrypts_and_start_the_conversation_afresh() {
        CountDownLatch never = new CountDownLatch(1);
        TopologyHarness before = stuckAfterFirstTurn(never, encrypted(TestKeysets.fresh()));
        try {
            StoreSuppliers restored = answeredOneAndWaiting(before);

            try (TopologyHarness h = new TopologyHarness(EncryptedStoresTopologyTest::echo, 2, ONE_PER_TURN,
                    stateDir.resolve("other-key"), restored, ONE_PER_TURN.turnTimeout(),
                    encrypted(TestKeysets.fresh()))) {
                h.pumpUntil(() -> !h.deadLetters.isEmpty() || !h.replies.isEmpty());
                h.pumpUntil(h::turnsIdle);
                List<TestRecord<byte[], byte[]>> dead = h.deadLetters.readRecordsToList();
                assertThat(dead).extracting(record -> header(record, DeadLetters.RECORD))
                        .containsExactly(ConversationStores.META, ConversationStores.PENDING);
                assertThat(dead).allSatisfy(record -> assertThat(header(record, DeadLetters.MESSAGE))
                        .startsWith("unreadable conversation state: cannot decrypt a value of conversation-meta")
                        .doesNotContain(TEXT, EMAIL));

                h.send(fromJane("c1", "m3", "anyone there?"));
                assertThat(h.awaitReplies(1)).singleElement().extracting(AgentReply::getText)
                        .isEqualTo("echo anyone there? after 0 turns");
                assertThat(h.state("c1").getMessageCount()).as("started afresh").isEqualTo(1);
            }
        } finally {
            never.countDown();
            before.close();
        }
    }

    /**
     * The stores of a task after conversation c1's first message was answered and its second (the secret text) waits
     * for its turn: meta, a history turn and a pending message, as its changelogs would restore them.
     */
    private static StoreSuppliers answeredOneAndWaiting(TopologyHarness task) {
        task.send(fromJane("c1", "m1", "hello"));
        task.awaitReplies(1);
        task.send(fromJane("c1", "m2", TEXT));
        return RestoredStores.of(task).suppliers(ConversationSettings.DEFAULT_DEDUP_RETENTION);
    }

    /** A task whose first turn is answered and every later one waits until {@code never} is counted down. */
    private TopologyHarness stuckAfterFirstTurn(CountDownLatch never, DataProtection protection) {
        return new TopologyHarness(request -> {
            if (!request.messageId().equals("m1")) {
                never.await();
            }
            return echo(request);
        }, 2, ONE_PER_TURN, stateDir.resolve("first"), protection);
    }

    /** Every value of the meta, pending and history stores, with its store's name. */
    private static List<KeyValue<String, byte[]>> storedValues(TopologyHarness h) {
        List<KeyValue<String, byte[]>> values = new ArrayList<>();
        KeyValueStore<String, byte[]> meta = h.driver.getKeyValueStore(ConversationStores.META);
        try (KeyValueIterator<String, byte[]> all = meta.all()) {
            all.forEachRemaining(entry -> values.add(KeyValue.pair(ConversationStores.META, entry.value)));
        }
        for (String store : List.of(ConversationStores.PENDING, ConversationStores.HISTORY)) {
            KeyValueStore<Bytes, byte[]> entries = h.driver.getKeyValueStore(store);
            try (KeyValueIterator<Bytes, byte[]> all = entries.all()) {
                all.forEachRemaining(entry -> values.add(KeyValue.pair(store, entry.value)));
            }
        }
        return values;
    }

    private static String header(TestRecord<byte[], byte[]> record, String name) {
        return new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }
}
