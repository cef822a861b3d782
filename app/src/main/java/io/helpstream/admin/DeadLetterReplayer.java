package io.helpstream.admin;

import io.helpstream.config.HelpstreamConfig;
import io.helpstream.contract.Topics;
import io.helpstream.conversation.ControlTopic;
import io.helpstream.protection.ValueCipher;
import io.helpstream.schema.CustomerMessage;
import io.helpstream.schema.DeadLetterReplay;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Replays dead letters, each at most once, whatever happens to the command: one transaction writes each message to
 * the control topic (to the partition of its conversation's task) together with its entry in the ledger of replays.
 * The producer's transactional id is the deployment's, so starting it fences any other run and aborts what a run
 * that crashed left open; the ledger is read after that, so whatever it does not list was never replayed. The tasks
 * drop a dead letter they were already given ({@code ControlProcessor}), should two ledgers ever disagree.
 */
public final class DeadLetterReplayer {

    /** What a replay did: the dead letters replayed, those left out and why. */
    public record Result(List<DeadLetter> replayed, Map<String, String> skipped) {
    }

    private final String bootstrapServers;
    private final HelpstreamConfig config;
    private final Clock clock;

    public DeadLetterReplayer(String bootstrapServers, HelpstreamConfig config, Clock clock) {
        this.bootstrapServers = bootstrapServers;
        this.config = config;
        this.clock = clock;
    }

    /** The transactional id every replay of the deployment uses: only one can run at a time. */
    public static String transactionalId(HelpstreamConfig config) {
        return config.streams().applicationId() + "-dead-letter-replay";
    }

    /** Replays the selected dead letters that can be and were not yet; {@code dryRun} writes nothing. */
    public Result replay(DeadLetterSelection selection, boolean dryRun) {
        ValueCipher cipher = config.protection().cipher();
        DeadLetterTopic topic = new DeadLetterTopic(bootstrapServers, config);
        ControlTopic control = ControlTopic.of(config.streams().applicationId());
        try (KafkaProducer<String, byte[]> producer = producer()) {
            producer.initTransactions();
            // After initTransactions: a run that crashed mid-transaction is aborted by now, so the ledger is final.
            Map<String, DeadLetterReplay> replayed = topic.replayed();
            List<DeadLetter> chosen = new ArrayList<>();
            Map<String, String> skipped = new java.util.LinkedHashMap<>();
            for (DeadLetter deadLetter : topic.all()) {
                if (!selection.test(deadLetter)) {
                    continue;
                }
                Optional<String> why = replayed.containsKey(deadLetter.coordinates())
                        ? Optional.of("replayed before, at " + replayed.get(deadLetter.coordinates()).getReplayedAt())
                        : deadLetter.notReplayable(cipher);
                if (why.isPresent()) {
                    skipped.put(deadLetter.coordinates(), why.get());
                } else {
                    chosen.add(deadLetter);
                }
            }
            if (dryRun || chosen.isEmpty()) {
                return new Result(List.copyOf(chosen), skipped);
            }
            producer.beginTransaction();
            String input = config.topics().customerMessages().name();
            String controlTopic = control.name().orElseThrow();
            for (DeadLetter deadLetter : chosen) {
                CustomerMessage message = deadLetter.message(cipher);
                producer.send(control.replay(deadLetter.sourcePartition(input, controlTopic).orElse(null),
                        deadLetter.conversationId(), deadLetter.plainValue(cipher), deadLetter.coordinates()));
                DeadLetterReplay entry = new DeadLetterReplay(deadLetter.coordinates(),
                        deadLetter.conversationId() == null ? "" : deadLetter.conversationId(),
                        message.getMessageId(), deadLetter.reason(), clock.instant());
                producer.send(new ProducerRecord<>(topic.ledgerTopic(), deadLetter.coordinates(),
                        Topics.DEAD_LETTER_REPLAY.encode(entry)));
            }
            producer.commitTransaction();
            return new Result(List.copyOf(chosen), skipped);
        }
    }

    private KafkaProducer<String, byte[]> producer() {
        return new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId(config),
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.CLIENT_ID_CONFIG, "helpstream-dlq-replay"),
                new StringSerializer(), new ByteArraySerializer());
    }
}
