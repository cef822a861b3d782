package io.helpstream.conversation;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import io.helpstream.contract.Topics;
import io.helpstream.conversation.HostileRecords.Raw;
import io.helpstream.schema.AgentReply;
import io.helpstream.schema.CustomerMessage;
import io.helpstream.schema.TokenUsage;
import io.helpstream.turn.TurnOutcome;
import io.helpstream.turn.TurnRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * Thousands of random and damaged records, interleaved with valid messages, through the production topology. An
 * oracle that knows the rules (decode, validate, drop replays, keep a bound conversation's customer) says what
 * must become of each record; the topology must agree record by record and never stop.
 */
class HostileInputFuzzTest {

    private static final long SEED = 0x5EED_F022L;
    private static final int RECORDS = 12_000;
    private static final int CONVERSATIONS = 40;
    private static final int MAX_TEXT = 300;
    private static final MessageLimits LIMITS = new MessageLimits(MAX_TEXT, MessageLimits.DEFAULT_MAX_CHANNEL_BYTES,
            MessageLimits.DEFAULT_MAX_METADATA_ENTRIES, MessageLimits.DEFAULT_MAX_METADATA_BYTES);
    /** Kafka Streams logs each dead-lettered record with a stack trace, unreadable ones twice: thousands here. */
    private static final List<Logger> ERROR_LOGGERS = List.of(
            (Logger) LoggerFactory.getLogger("org.apache.kafka.streams.errors"),
            (Logger) LoggerFactory.getLogger("org.apache.kafka.streams.processor.internals.RecordDeserializer"));

    @TempDir
    Path stateDir;
    private final List<Level> errorLoggerLevels = new ArrayList<>();

    @BeforeEach
    void quietHandlers() {
        for (Logger logger : ERROR_LOGGERS) {
            errorLoggerLevels.add(logger.getLevel());
            logger.setLevel(Level.ERROR);
        }
    }

    @AfterEach
    void restoreHandlers() {
        for (int i = 0; i < ERROR_LOGGERS.size(); i++) {
            ERROR_LOGGERS.get(i).setLevel(errorLoggerLevels.get(i));
        }
    }

    /**
     * What must become of a record: dead-lettered with this exception and message start, answered, or dropped;
     * {@code kind} sorts the outcomes for the coverage check.
     */
    private record Verdict(String kind, String exception, String messageStart, boolean answered) {
        static final Verdict ANSWERED = new Verdict("answered", null, null, true);
        static final Verdict DROPPED = new Verdict("dropped", null, null, false);

        static Verdict deadLetter(String kind, Exception cause, String messageStart) {
            return new Verdict(kind, cause.getClass().getName(), messageStart, false);
        }

        boolean deadLettered() {
            return exception != null;
        }
    }

    /** The rules, applied to one record at a time, independently of the topology. */
    private static final class Oracle {
        private final MessageValidator validator = new MessageValidator(LIMITS);
        private final Map<String, Set<String>> acceptedIds = new HashMap<>();
        private final Map<String, String> boundEmail = new HashMap<>();
        private final List<String> answers = new ArrayList<>();

        Verdict judge(Raw raw) {
            String key = raw.key() == null ? null : new String(raw.key(), StandardCharsets.UTF_8);
            CustomerMessage message = null;
            if (raw.value() != null) {
                try {
                    message = Topics.CUSTOMER_MESSAGE.decode(raw.value());
                } catch (SerializationException e) {
                    return Verdict.deadLetter("UNREADABLE", e, e.getMessage());
                }
            }
            try {
                validator.validate(key, message);
            } catch (InvalidMessageException e) {
                return Verdict.deadLetter(e.reason().name(), e, e.getMessage());
            }
            Set<String> seen = acceptedIds.computeIfAbsent(key, k -> new HashSet<>());
            if (seen.contains(message.getMessageId())) {
                return Verdict.DROPPED;
            }
            String bound = boundEmail.get(key);
            String asserted = message.getCustomerEmail() == null ? null
                    : message.getCustomerEmail().trim().toLowerCase(Locale.ROOT);
            if (asserted != null && bound != null && !bound.equals(asserted)) {
                // Refused by the processor: a fixed reply, an audit record and a dead letter of its own.
                seen.add(message.getMessageId());
                answers.add(key + "/" + message.getMessageId());
                return new Verdict("IDENTITY_MISMATCH", InvalidMessageException.class.getName(), "IDENTITY_MISMATCH: ",
                        true);
            }
            if (asserted != null && bound == null) {
                boundEmail.put(key, asserted);
            }
            seen.add(message.getMessageId());
            answers.add(key + "/" + message.getMessageId());
            return Verdict.ANSWERED;
        }
    }

    private static TurnOutcome echo(TurnRequest request) {
        return TurnOutcome.builder().replyText("echo " + request.message().getText()).model("fake")
                .usage(new TokenUsage(1, 1, 2)).build();
    }

    @Test
    void should_dead_letter_every_unusable_record_and_answer_every_valid_message_once() {
        ConversationSettings defaults = ConversationSettings.defaults();
        // A flood of one conversation is the budgets' to refuse (see BudgetTopologyTest), not this test's.
        ConversationSettings settings = defaults.withMessageLimits(LIMITS)
                .withBudgets(io.helpstream.security.Budgets.defaults().withMaxMessagesPerMinute(10_000));
        HostileRecords records = new HostileRecords(SEED, CONVERSATIONS, MAX_TEXT);
        Oracle oracle = new Oracle();
        Map<String, Integer> verdicts = new HashMap<>();
        try (TopologyHarness h = new TopologyHarness(HostileInputFuzzTest::echo, 4, settings, stateDir,
                StoreSuppliers.inMemory(settings.dedupRetention()))) {
            for (int i = 0; i < RECORDS; i++) {
                Raw raw = records.next();
                Verdict verdict = oracle.judge(raw);
                verdicts.merge(verdict.kind(), 1, Integer::sum);

                h.rawMessages.pipeInput(new TestRecord<>(raw.key(), raw.value()));

                List<TestRecord<byte[], byte[]>> dead = h.deadLetters.readRecordsToList();
                if (verdict.deadLettered()) {
                    int index = i;
                    assertThat(dead).as("record %d", index).singleElement().satisfies(record -> {
                        assertThat(record.key()).isEqualTo(raw.key());
                        if (!verdict.kind().equals("IDENTITY_MISMATCH")) {
                            // The processor's own dead letters hold the message as it was read.
                            assertThat(record.value()).isEqualTo(raw.value());
                        }
                        assertThat(header(record, "__streams.errors.exception")).isEqualTo(verdict.exception());
                        assertThat(header(record, "__streams.errors.message")).startsWith(verdict.messageStart());
                        if (!verdict.kind().equals("IDENTITY_MISMATCH")) {
                            assertThat(header(record, "__streams.errors.offset")).isEqualTo(String.valueOf(index));
                        }
                    });
                } else {
                    assertThat(dead).as("record %d", i).isEmpty();
                }
                if (i % 25 == 0) {
                    h.advance(settings.applyInterval());
                }
            }
            List<AgentReply> replies = h.awaitReplies(oracle.answers.size());
            h.pumpUntil(h::turnsIdle);
            h.advance(settings.applyInterval());

            assertThat(h.replies.isEmpty()).isTrue();
            assertThat(replies.stream().flatMap(reply -> TopologyHarness.answered(reply).stream()
                    .map(id -> reply.getConversationId() + "/" + id)).toList())
                    .containsExactlyInAnyOrderElementsOf(oracle.answers);
        }
        LoggerFactory.getLogger(HostileInputFuzzTest.class).info("Outcomes of {} records: {}", RECORDS, verdicts);
        // The mix must really cover each outcome, or a broken generator could make this test pass vacuously.
        assertThat(verdicts.getOrDefault("answered", 0)).isGreaterThan(RECORDS / 4);
        assertThat(verdicts.getOrDefault("dropped", 0)).isGreaterThan(RECORDS / 50);
        assertThat(verdicts.getOrDefault("UNREADABLE", 0))
                .isGreaterThan(RECORDS / 4);
        for (InvalidMessageException.Reason reason : InvalidMessageException.Reason.values()) {
            if (reason == InvalidMessageException.Reason.INBOX_FULL) {
                continue; // not a property of the record: the processor's, tested in InboxTopologyTest
            }
            assertThat(verdicts.getOrDefault(reason.name(), 0))
                    .as("records refused as %s", reason).isGreaterThan(10);
        }
    }

    private static String header(TestRecord<byte[], byte[]> record, String name) {
        var header = record.headers().lastHeader(name);
        assertThat(header).as("header %s", name).isNotNull();
        return new String(header.value(), StandardCharsets.UTF_8);
    }
}
