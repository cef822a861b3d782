package io.helpstream.admin;

import io.helpstream.config.HelpstreamConfig;
import io.helpstream.contract.Topics;
import io.helpstream.conversation.ControlTopic;
import io.helpstream.schema.DeadLetterReplay;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/** A deployment's dead-letter topic and the ledger of what was replayed from it, read as they are committed now. */
public final class DeadLetterTopic {

    static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final String bootstrapServers;
    private final HelpstreamConfig config;

    public DeadLetterTopic(String bootstrapServers, HelpstreamConfig config) {
        this.bootstrapServers = bootstrapServers;
        this.config = config;
    }

    /** Every dead letter, in partition order. */
    public List<DeadLetter> all() {
        return CommittedTopic.read(bootstrapServers, config.topics().deadLetters().name(), TIMEOUT).stream()
                .map(DeadLetter::of).toList();
    }

    /** The dead letters replayed so far, by coordinates ({@code topic/partition/offset}). */
    public Map<String, DeadLetterReplay> replayed() {
        Map<String, DeadLetterReplay> ledger = new TreeMap<>();
        CommittedTopic.forEach(bootstrapServers, ledgerTopic(), TIMEOUT, record -> {
            String key = new String(record.key(), java.nio.charset.StandardCharsets.UTF_8);
            if (record.value() == null) {
                ledger.remove(key);
            } else {
                ledger.put(key, Topics.DEAD_LETTER_REPLAY.decode(record.value()));
            }
        });
        return ledger;
    }

    /** How many dead letters there are of each reason. */
    public static Map<String, Long> byReason(List<DeadLetter> deadLetters) {
        return deadLetters.stream().collect(Collectors.groupingBy(DeadLetter::reason, TreeMap::new,
                Collectors.counting()));
    }

    String ledgerTopic() {
        return ControlTopic.replayLedger(config.streams().applicationId());
    }
}
