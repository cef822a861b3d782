package io.helpstream.conversation;

import io.helpstream.contract.Topics;
import io.helpstream.protection.ValueCipher;
import io.helpstream.schema.AuditCategory;
import io.helpstream.schema.AuditOutcome;
import io.helpstream.schema.AuditRecord;
import io.helpstream.schema.CustomerMessage;
import io.helpstream.security.AuditRecords;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Instant;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries out the records of the {@link ControlTopic} on the stream thread of the task that owns their conversation,
 * in its transaction:
 *
 * <ul>
 *   <li>a replay is forwarded as a customer message, to be validated and answered like one, after its message id is
 *       forgotten by the conversation's dedup store (it was accepted once, which is how it got its apology); the dead
 *       letter it replays is remembered there in its stead, so that the same dead letter replayed again is dropped
 *       (for the dedup retention; {@code dlq replay}'s ledger keeps them for ever).</li>
 *   <li>an erasure removes the conversation from every store (its meta, pending messages and history turns, and a
 *       version-1 state: tombstones in their changelogs) and writes an audit record saying so. The message ids the
 *       dedup store remembers stay until they expire (they hold nothing of the customer, and keep a redelivered old
 *       message from bringing the conversation back); a turn still running for it is discarded when it ends.</li>
 * </ul>
 */
final class ControlProcessor implements Processor<String, byte[], String, Object> {

    private static final Logger log = LoggerFactory.getLogger(ControlProcessor.class);

    private final ConversationSettings settings;
    private final ValueCipher cipher;
    private final Counter replayed;
    private final Counter replayedBefore;
    private final Counter erased;
    private ProcessorContext<String, Object> context;
    private ConversationStore store;

    ControlProcessor(ConversationSettings settings, ValueCipher cipher, MeterRegistry registry) {
        this.settings = settings;
        this.cipher = cipher;
        this.replayed = Counter.builder("helpstream.dead.letters.replayed").tag("result", "accepted")
                .description("Replayed dead letters, by what became of them").register(registry);
        this.replayedBefore = Counter.builder("helpstream.dead.letters.replayed").tag("result", "replayed_before")
                .description("Replayed dead letters, by what became of them").register(registry);
        this.erased = Counter.builder("helpstream.conversations.erased")
                .description("Conversations removed from the stores by an erasure").register(registry);
    }

    @Override
    public void init(ProcessorContext<String, Object> context) {
        this.context = context;
        this.store = ConversationStore.of(context, settings.maxRecordBytes(), cipher);
    }

    @Override
    public void process(Record<String, byte[]> record) {
        String command = ControlTopic.header(record.headers(), ControlTopic.COMMAND).orElse("");
        switch (command) {
            case ControlTopic.REPLAY -> replay(record);
            case ControlTopic.ERASE -> erase(record);
            default -> throw new IllegalArgumentException("control record with unknown command '" + command
                    + "' for conversation " + record.key());
        }
    }

    private void erase(Record<String, byte[]> record) {
        String id = record.key();
        if (id == null || id.isEmpty()) {
            throw new IllegalArgumentException("erasure without a conversation id");
        }
        String request = ControlTopic.header(record.headers(), ControlTopic.ERASURE).orElse("unnamed");
        ConversationStore.Loaded loaded = store.load(id);
        String customerId = loaded.meta() == null || loaded.meta().getCustomer() == null ? null
                : loaded.meta().getCustomer().getCustomerId();
        store.deleteUnknown(id);
        store.deleteLegacy(id);
        erased.increment();
        long now = context.currentSystemTimeMs();
        AuditRecord audit = AuditRecords.of(id, null, "erasure:" + request, customerId, AuditCategory.IDENTITY,
                ControlTopic.ERASED, AuditOutcome.ALLOWED,
                (loaded.missing() ? "nothing stored; " : "") + "erasure " + request,
                null, Instant.ofEpochMilli(now));
        log.info("Erased conversation {} from every store (erasure {})", id, request);
        context.forward(new Record<>(id, audit, now), ConversationTopology.CONTROL_AUDIT);
    }

    private void replay(Record<String, byte[]> record) {
        String deadLetter = ControlTopic.header(record.headers(), ControlTopic.REPLAY_OF).orElseThrow(() ->
                new IllegalArgumentException("replay without " + ControlTopic.REPLAY_OF + " for conversation "
                        + record.key()));
        CustomerMessage message = Topics.CUSTOMER_MESSAGE.decode(record.value());
        String id = record.key();
        if (id != null && !id.isEmpty()) {
            String marker = Replays.marker(deadLetter);
            if (store.seen(id, marker)) {
                replayedBefore.increment();
                log.info("Dead letter {} of conversation {} was replayed before; this replay is dropped", deadLetter,
                        id);
                return;
            }
            store.remember(id, marker, context.currentSystemTimeMs());
            store.forget(id, message.getMessageId());
        }
        replayed.increment();
        log.info("Replaying dead letter {} as message {} of conversation {}", deadLetter, message.getMessageId(), id);
        context.forward(new Record<>(id, message, record.timestamp(), record.headers()),
                ConversationTopology.MESSAGES);
    }
}
