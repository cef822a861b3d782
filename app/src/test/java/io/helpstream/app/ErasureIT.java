package io.helpstream.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.helpstream.admin.CustomerErasure;
import io.helpstream.client.GatewayClient;
import io.helpstream.config.HelpstreamConfig;
import io.helpstream.contract.ConversationStores;
import io.helpstream.contract.Topics;
import io.helpstream.conversation.ControlTopic;
import io.helpstream.schema.AuditRecord;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code forget --email} while helpstream runs: afterwards the email is nowhere in the conversation stores (the
 * latest record of every key of every changelog, as the topic holds it once compacted), the cache (every key and
 * value under the prefix) or the database (every row of every table), the customer's tickets are still there,
 * anonymised, and the audit topic says what was erased; another customer's conversation is untouched.
 */
class ErasureIT {

    private static final String EMAIL = SeedScenarios.EMAIL;
    private static final String CACHE_KEY_SECRET = "erasure-it-cache-key-secret-of-32-chars!";

    @RegisterExtension
    static final RunningHelpstream HELPSTREAM = new RunningHelpstream();

    @Test
    void should_leave_no_trace_of_the_email_in_the_stores_the_cache_or_the_database() {
        Deployment deployment = HELPSTREAM.deployment(Map.of("HELPSTREAM_CACHE_KEY_SECRET", CACHE_KEY_SECRET));
        Application app = deployment.start();
        HelpstreamConfig config = deployment.config();
        String bound = "erase-bound-" + UUID.randomUUID();
        String typed = "erase-typed-" + UUID.randomUUID();
        String other = "erase-other-" + UUID.randomUUID();
        try (GatewayClient gateway = new GatewayClient(app.bootstrapServers(), deployment.topics())) {
            Exchange.play(gateway, bound, EMAIL, SeedScenarios.DATABASE);
            Exchange.play(gateway, bound, EMAIL, SeedScenarios.CACHING);
            Exchange.say(gateway, typed, null, "Hi, my email is " + EMAIL.toUpperCase(Locale.ROOT));
            Exchange.say(gateway, other, "jane@example.com", "What's your return policy?");
        }
        assertThat(storesMention(deployment, app, EMAIL)).as("before").isTrue();
        assertThat(cacheMentions(EMAIL)).as("before").isTrue();
        int johnsTickets = johnsTickets();

        CustomerErasure.Result result = new CustomerErasure(app.bootstrapServers(), config, Clock.systemUTC())
                .forget(EMAIL, Duration.ofSeconds(60));

        assertThat(result.conversations()).contains(bound, typed).doesNotContain(other);
        assertThat(result.stillStored()).isEmpty();
        assertThat(storesMention(deployment, app, EMAIL)).as("the changelogs' latest records").isFalse();
        assertThat(deployment.storedConversations(app.bootstrapServers())).containsKey(other)
                .doesNotContainKeys(bound, typed);
        assertThat(cacheMentions(EMAIL)).as("the cache").isFalse();
        assertThat(databaseRowsMentioning(EMAIL)).as("the database").isEmpty();
        assertThat(result.database().customerId()).contains("CUST001");
        assertThat(johnsTickets()).as("tickets kept").isEqualTo(johnsTickets);
        List<String> subjects = HELPSTREAM.jdbi().withHandle(handle -> handle.createQuery(
                "SELECT DISTINCT subject FROM tickets WHERE customer_id = 'CUST001'").mapTo(String.class).list());
        assertThat(subjects).containsExactly("[erased]");

        List<ConsumerRecord<String, byte[]>> audit = CommittedRecords.read(app.bootstrapServers(),
                deployment.topics().audit().name());
        List<AuditRecord> erasures = audit.stream().map(record -> Topics.AUDIT_RECORD.decode(record.value()))
                .filter(record -> record.getAction().equals(ControlTopic.ERASED)).toList();
        assertThat(erasures).extracting(AuditRecord::getConversationId).contains(bound, typed, "");
        assertThat(audit).allSatisfy(record -> assertThat(new String(record.value(), StandardCharsets.UTF_8)
                .toLowerCase(Locale.ROOT)).doesNotContain(EMAIL));
    }

    /** True when the latest record of any key of any conversation store's changelog holds the email. */
    private static boolean storesMention(Deployment deployment, Application app, String email) {
        for (String store : ConversationStores.all()) {
            Map<String, byte[]> latest = new HashMap<>();
            for (ConsumerRecord<byte[], byte[]> record : CommittedRecords.readRaw(app.bootstrapServers(),
                    ConversationStores.changelog(deployment.applicationId(), store))) {
                String key = new String(record.key(), StandardCharsets.ISO_8859_1);
                if (record.value() == null) {
                    latest.remove(key);
                } else {
                    latest.put(key, record.value());
                }
            }
            for (Map.Entry<String, byte[]> entry : latest.entrySet()) {
                String bytes = (entry.getKey() + new String(entry.getValue(), StandardCharsets.ISO_8859_1))
                        .toLowerCase(Locale.ROOT);
                if (bytes.contains(email)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static boolean cacheMentions(String email) {
        var redis = HELPSTREAM.redis();
        return redis.keys().stream().anyMatch(key -> key.toLowerCase(Locale.ROOT).contains(email)
                || String.valueOf(redis.redis().get(key)).toLowerCase(Locale.ROOT).contains(email));
    }

    /** Every row of every table of the database, as text, that names the email in any case. */
    private static List<String> databaseRowsMentioning(String email) {
        return HELPSTREAM.jdbi().withHandle(handle -> {
            List<String> tables = handle.createQuery("SELECT tablename FROM pg_tables WHERE schemaname = "
                    + "current_schema()").mapTo(String.class).list();
            return tables.stream().flatMap(table -> handle.createQuery("SELECT t::text FROM \"" + table + "\" t")
                    .mapTo(String.class).list().stream()
                    .filter(row -> row.toLowerCase(Locale.ROOT).contains(email)).map(row -> table + ": " + row))
                    .toList();
        });
    }

    private static int johnsTickets() {
        return HELPSTREAM.jdbi().withHandle(handle -> handle.createQuery(
                "SELECT count(*) FROM tickets WHERE customer_id = 'CUST001'").mapTo(Integer.class).one());
    }
}
