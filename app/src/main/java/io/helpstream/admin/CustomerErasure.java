package io.helpstream.admin;

import io.helpstream.app.SupportDatabase;
import io.helpstream.config.HelpstreamConfig;
import io.helpstream.contract.Topics;
import io.helpstream.conversation.ControlTopic;
import io.helpstream.schema.AuditCategory;
import io.helpstream.schema.AuditOutcome;
import io.helpstream.schema.AuditRecord;
import io.helpstream.security.AuditRecords;
import io.helpstream.tickets.cache.CacheErasure;
import io.helpstream.tickets.postgres.PostgresErasure;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Forgets a customer while the deployment runs: each of their conversations is removed from every store by the task
 * that owns it (an erase command through the control topic, carried out on its stream thread, which writes an audit
 * record per conversation), and once the changelogs no longer hold them, their personal data in PostgreSQL is
 * anonymised (tickets kept) and their cache entries deleted; a last audit record says what was done there. Nothing
 * it writes or prints holds the email.
 */
public final class CustomerErasure {

    /** What was forgotten. */
    public record Result(String erasure, Set<String> conversations, Set<String> stillStored,
                         PostgresErasure.Erased database, int cacheEntries) {
    }

    private final String bootstrapServers;
    private final HelpstreamConfig config;
    private final Clock clock;

    public CustomerErasure(String bootstrapServers, HelpstreamConfig config, Clock clock) {
        this.bootstrapServers = bootstrapServers;
        this.config = config;
        this.clock = clock;
    }

    /** Forgets the customer with this email; waits up to {@code timeout} for the tasks to have erased the stores. */
    public Result forget(String email, Duration timeout) {
        String erasure = UUID.randomUUID().toString();
        String applicationId = config.streams().applicationId();
        Map<String, Integer> conversations = StoredCustomer.conversationsOf(bootstrapServers, applicationId,
                config.protection().cipher(), email, DeadLetterTopic.TIMEOUT);
        ControlTopic control = ControlTopic.of(applicationId);
        try (KafkaProducer<String, byte[]> producer = producer()) {
            conversations.forEach((id, partition) -> producer.send(control.erase(partition, id, erasure)));
            producer.flush();
        }
        Set<String> stillStored = awaitErased(email, conversations.keySet(), timeout);
        PostgresErasure.Erased database;
        try (SupportDatabase support = SupportDatabase.open(config, null, false)) {
            database = new PostgresErasure(support.database().jdbi()).erase(email, conversations.keySet());
        }
        int cacheEntries = config.cache().map(settings -> new CacheErasure(settings).erase(email)).orElse(0);
        audit(erasure, conversations.size(), database, cacheEntries);
        return new Result(erasure, conversations.keySet(), stillStored, database, cacheEntries);
    }

    /** Reads the changelogs again until none of the conversations is there; those still there after the timeout. */
    private Set<String> awaitErased(String email, Set<String> conversations, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        Set<String> left = Set.copyOf(conversations);
        while (!left.isEmpty()) {
            Map<String, Integer> stored = StoredCustomer.conversationsOf(bootstrapServers,
                    config.streams().applicationId(), config.protection().cipher(), email, DeadLetterTopic.TIMEOUT);
            left = Set.copyOf(left.stream().filter(stored::containsKey).toList());
            if (left.isEmpty() || System.nanoTime() > deadline) {
                break;
            }
            try {
                Thread.sleep(500);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return left;
    }

    /** The record of what was done outside the stores; its conversation id is empty, its customer is named. */
    private void audit(String erasure, int conversations, PostgresErasure.Erased database, int cacheEntries) {
        AuditRecord record = AuditRecords.of("", null, "erasure:" + erasure, database.customerId().orElse(null),
                AuditCategory.IDENTITY, ControlTopic.ERASED, AuditOutcome.ALLOWED, "erasure " + erasure + ": "
                        + conversations
                        + " conversations, " + database.tickets() + " tickets and " + database.notes()
                        + " notes anonymised, " + database.mentions() + " mentions replaced, "
                        + database.journalSteps() + " journal steps removed, " + cacheEntries
                        + " cache entries deleted", null, clock.instant());
        try (KafkaProducer<String, byte[]> producer = producer()) {
            producer.send(new ProducerRecord<>(config.topics().audit().name(), "",
                    Topics.AUDIT_RECORD.encode(record)));
            producer.flush();
        }
    }

    private KafkaProducer<String, byte[]> producer() {
        return new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.CLIENT_ID_CONFIG, "helpstream-forget"),
                new StringSerializer(), new ByteArraySerializer());
    }
}
