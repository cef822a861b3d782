package io.helpstream.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.crypto.tink.Aead;
import com.google.crypto.tink.KeysetHandle;
import io.helpstream.client.GatewayClient;
import io.helpstream.contract.ConversationStores;
import io.helpstream.contract.SealedValues;
import io.helpstream.contract.Topics;
import io.helpstream.protection.DeadLetterPolicy;
import io.helpstream.protection.TestKeysets;
import io.helpstream.schema.ConversationState;
import io.helpstream.schema.CustomerMessage;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * helpstream with a keyset, on the real broker, PostgreSQL and Redis: no changelog record holds a customer's words,
 * email or phone number (the offline model's look-up puts the phone from the database into the history), a reader
 * with the keyset folds the changelogs into the conversations, and a dead letter is encrypted and decrypts, with the
 * keyset, to the message as it arrived.
 */
class EncryptedStateIT {

    @RegisterExtension
    static final RunningHelpstream HELPSTREAM = new RunningHelpstream();

    private static final String EMAIL = PrivateData.EMAIL;
    private static final String CARD = PrivateData.CARD;

    private static final KeysetHandle KEYSET = TestKeysets.fresh();
    private static Deployment deployment;
    private static Application app;
    private static GatewayClient gateway;

    @BeforeAll
    static void start() {
        deployment = HELPSTREAM.deployment(Map.of("HELPSTREAM_ENCRYPTION_KEYSET", TestKeysets.json(KEYSET),
                "HELPSTREAM_DEAD_LETTER_PAYLOAD", "encrypt"));
        app = deployment.start();
        gateway = new GatewayClient(app.bootstrapServers(), deployment.topics());
    }

    @AfterAll
    static void stop() {
        if (gateway != null) {
            gateway.close();
        }
    }

    @Test
    void should_keep_no_customer_text_email_or_phone_in_the_changelogs_and_read_them_with_the_keyset() {
        Exchange.say(gateway, "enc-1", EMAIL, "Hi, I'm john@example.com and I need help with my laptop");
        Exchange.say(gateway, "enc-1", EMAIL, PrivateData.SECRET);

        List<String> changelogs = ConversationStores.all().stream()
                .map(store -> ConversationStores.changelog(deployment.applicationId(), store)).toList();
        int values = 0;
        for (String changelog : changelogs) {
            for (ConsumerRecord<byte[], byte[]> record : CommittedRecords.readRaw(app.bootstrapServers(), changelog)) {
                assertThat(text(record)).as("a record of %s", changelog).doesNotContain(PrivateData.FORBIDDEN);
                values += record.value() == null ? 0 : 1;
            }
        }
        assertThat(values).as("the scan saw the conversation's records").isGreaterThanOrEqualTo(5);

        Aead aead = TestKeysets.aead(KEYSET);
        ConversationState stored = deployment.storedConversations(app.bootstrapServers(), aead::decrypt)
                .get("enc-1");
        assertThat(stored.getCustomer().getEmail()).isEqualTo(EMAIL);
        assertThat(stored.getHistory()).hasSize(2);
        assertThat(stored.getHistory().get(1).getUserText()).contains(CARD);
        assertThatThrownBy(() -> deployment.storedConversations(app.bootstrapServers()))
                .as("without the keyset").isInstanceOf(SerializationException.class);
    }

    @Test
    void should_encrypt_a_dead_letter_so_that_only_the_keyset_gives_the_message_back() throws Exception {
        Exchange.say(gateway, "enc-2", EMAIL, "hello");
        CustomerMessage intruder = gateway.send("enc-2", "mallory@example.com", "show me " + CARD);

        String deadLetters = deployment.topics().deadLetters().name();
        ConsumerRecord<byte[], byte[]> dead = awaitDeadLetter(deadLetters, intruder.getMessageId());

        assertThat(text(dead)).doesNotContain("mallory", CARD);
        assertThat(SealedValues.sealed(dead.value())).isTrue();
        byte[] plain = SealedValues.open(dead.value(), SealedValues.DEAD_LETTERS, dead.key(),
                TestKeysets.aead(KEYSET)::decrypt);
        assertThat(Topics.CUSTOMER_MESSAGE.decode(plain)).isEqualTo(intruder);
        assertThat(header(dead, "__streams.errors.message")).startsWith("IDENTITY_MISMATCH");
    }

    /** The dead letter of the message, once committed; a dead letter keeps its key and names the message. */
    private static ConsumerRecord<byte[], byte[]> awaitDeadLetter(String topic, String messageId)
            throws InterruptedException {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (System.nanoTime() < deadline) {
            for (ConsumerRecord<byte[], byte[]> record : CommittedRecords.readRaw(app.bootstrapServers(), topic)) {
                Header payload = record.headers().lastHeader(DeadLetterPolicy.PAYLOAD);
                if (payload != null && record.key() != null && new String(record.key(), StandardCharsets.UTF_8)
                        .equals("enc-2")) {
                    return record;
                }
            }
            Thread.sleep(200);
        }
        throw new AssertionError("no dead letter for " + messageId + " within 30 s");
    }

    /** Key, value and headers of a record as text, to look for what must not be there. */
    private static String text(ConsumerRecord<byte[], byte[]> record) {
        StringBuilder all = new StringBuilder();
        if (record.key() != null) {
            all.append(new String(record.key(), StandardCharsets.ISO_8859_1));
        }
        if (record.value() != null) {
            all.append(new String(record.value(), StandardCharsets.ISO_8859_1));
        }
        for (Header header : record.headers()) {
            all.append(header.key()).append(header.value() == null ? ""
                    : new String(header.value(), StandardCharsets.ISO_8859_1));
        }
        return all.toString();
    }

    private static String header(ConsumerRecord<byte[], byte[]> record, String name) {
        return new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }
}
