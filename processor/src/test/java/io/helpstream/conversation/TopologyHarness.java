package io.helpstream.conversation;

import io.helpstream.contract.ConversationStores;
import io.helpstream.contract.Replies;
import io.helpstream.contract.Topics;
import io.helpstream.protection.DataProtection;
import io.helpstream.protection.DeadLetterPolicy;
import io.helpstream.fencing.TaskFences;
import io.helpstream.schema.AgentReply;
import io.helpstream.schema.ConversationEnded;
import io.helpstream.schema.ConversationMeta;
import io.helpstream.schema.ConversationState;
import io.helpstream.schema.CustomerMessage;
import io.helpstream.schema.TicketEvent;
import io.helpstream.telemetry.Tracing;
import io.helpstream.tickets.SupportRepository;
import io.helpstream.turn.Agent;
import io.helpstream.turn.TurnExecutor;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Map;
import java.util.Properties;
import java.util.function.BooleanSupplier;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;

/** The production topology in a {@link TopologyTestDriver}, with a given agent, driven by wall-clock time. */
final class TopologyHarness implements AutoCloseable {

    static final Topics TOPICS = Topics.defaults();
    static final ControlTopic CONTROL = ControlTopic.of("helpstream-test");

    final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    final TurnExecutor turns;
    private final int maxInFlight;
    final TopologyTestDriver driver;
    final TestInputTopic<String, CustomerMessage> messages;
    final TestInputTopic<byte[], byte[]> rawMessages;
    /** The control topic, as {@code dlq replay} and {@code forget} write to it. */
    final TestInputTopic<String, byte[]> control;
    final TestOutputTopic<String, AgentReply> replies;
    final TestOutputTopic<String, TicketEvent> ticketEvents;
    final TestOutputTopic<String, ConversationEnded> conversationEvents;
    final TestOutputTopic<byte[], byte[]> deadLetters;
    final TestOutputTopic<String, io.helpstream.schema.VerificationRequested> verificationRequests;
    final TestOutputTopic<String, io.helpstream.schema.AuditRecord> audit;
    /** The human agents' actions, as a desk writes them, and the handoff events. */
    final TestInputTopic<String, io.helpstream.schema.AgentAction> actions;
    final TestInputTopic<String, byte[]> rawActions;
    final TestOutputTopic<String, io.helpstream.schema.HandoffEvent> handoffs;
    private final ConversationSettings settings;
    private final DataProtection protection;
    private final List<AgentReply> seenReplies = new ArrayList<>();

    TopologyHarness(Agent agent, int maxInFlight, ConversationSettings settings, Path stateDir) {
        this(agent, maxInFlight, settings, stateDir, StoreSuppliers.persistent(settings.dedupRetention()));
    }

    TopologyHarness(Agent agent, int maxInFlight, ConversationSettings settings, Path stateDir,
                    StoreSuppliers store) {
        this(agent, maxInFlight, settings, stateDir, store, settings.turnTimeout());
    }

    /** With the turn executor's deadline apart from the settings', to see what the processor does on its own. */
    TopologyHarness(Agent agent, int maxInFlight, ConversationSettings settings, Path stateDir,
                    StoreSuppliers store, Duration executorTurnTimeout) {
        this(agent, maxInFlight, settings, stateDir, store, executorTurnTimeout, DataProtection.none());
    }

    /** With stored values and dead letters protected as {@code protection} says. */
    TopologyHarness(Agent agent, int maxInFlight, ConversationSettings settings, Path stateDir,
                    DataProtection protection) {
        this(agent, maxInFlight, settings, stateDir, StoreSuppliers.persistent(settings.dedupRetention()),
                settings.turnTimeout(), protection);
    }

    TopologyHarness(Agent agent, int maxInFlight, ConversationSettings settings, Path stateDir,
                    StoreSuppliers store, Duration executorTurnTimeout, DataProtection protection) {
        this(agent, maxInFlight, settings, stateDir, store, executorTurnTimeout, protection, Tracing.off(),
                TaskFences.inMemory());
    }

    /** With the fences its task claims and its turns write under (as another instance would have its own). */
    TopologyHarness(Agent agent, int maxInFlight, ConversationSettings settings, Path stateDir,
                    StoreSuppliers store, Duration executorTurnTimeout, TaskFences fences) {
        this(agent, maxInFlight, settings, stateDir, store, executorTurnTimeout, DataProtection.none(),
                Tracing.off(), fences);
    }

    /** With each turn traced as {@code tracing} says. */
    TopologyHarness(Agent agent, int maxInFlight, ConversationSettings settings, Path stateDir, Tracing tracing) {
        this(agent, maxInFlight, settings, stateDir, StoreSuppliers.persistent(settings.dedupRetention()),
                settings.turnTimeout(), DataProtection.none(), tracing, TaskFences.inMemory());
    }

    TopologyHarness(Agent agent, int maxInFlight, ConversationSettings settings, Path stateDir,
                    StoreSuppliers store, Duration executorTurnTimeout, DataProtection protection, Tracing tracing,
                    TaskFences fences) {
        this(agent, maxInFlight, settings, stateDir, store, executorTurnTimeout, protection, tracing, fences,
                Optional.empty());
    }

    /** With {@code tickets} as the ticket system handoffs ask (open tickets, the follow-up ticket). */
    TopologyHarness(Agent agent, int maxInFlight, ConversationSettings settings, Path stateDir,
                    SupportRepository tickets) {
        this(agent, maxInFlight, settings, stateDir, StoreSuppliers.persistent(settings.dedupRetention()),
                settings.turnTimeout(), DataProtection.none(), Tracing.off(), TaskFences.inMemory(),
                Optional.of(tickets));
    }

    TopologyHarness(Agent agent, int maxInFlight, ConversationSettings settings, Path stateDir,
                    StoreSuppliers store, Duration executorTurnTimeout, DataProtection protection, Tracing tracing,
                    TaskFences fences, Optional<SupportRepository> tickets) {
        this.settings = settings;
        this.protection = protection;
        this.maxInFlight = maxInFlight;
        this.turns = new TurnExecutor(agent, maxInFlight, executorTurnTimeout, fences, registry);
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "helpstream-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        props.put(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG, TOPICS.deadLetters().name());
        props.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, UnreadableRecordHandler.class);
        props.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG, ConversationExceptionHandler.class);
        props.put(DeadLetterPolicy.CONFIG, protection.deadLetterPolicy());
        this.driver = new TopologyTestDriver(
                ConversationTopology.build(new StreamsBuilder(), TOPICS, settings, turns, registry, store, protection,
                        tracing, CONTROL, tickets),
                props,
                Instant.parse("2026-01-01T00:00:00Z"));
        this.messages = driver.createInputTopic(TOPICS.customerMessages().name(), Serdes.String().serializer(),
                Topics.CUSTOMER_MESSAGE.serializer());
        this.rawMessages = driver.createInputTopic(TOPICS.customerMessages().name(), new ByteArraySerializer(),
                new ByteArraySerializer());
        this.control = driver.createInputTopic(CONTROL.name().orElseThrow(), Serdes.String().serializer(),
                new ByteArraySerializer());
        this.replies = driver.createOutputTopic(TOPICS.agentReplies().name(), Serdes.String().deserializer(),
                Topics.AGENT_REPLY.deserializer());
        this.ticketEvents = driver.createOutputTopic(TOPICS.ticketEvents().name(), Serdes.String().deserializer(),
                Topics.TICKET_EVENT.deserializer());
        this.conversationEvents = driver.createOutputTopic(TOPICS.conversationEvents().name(),
                Serdes.String().deserializer(), Topics.CONVERSATION_ENDED.deserializer());
        this.deadLetters = driver.createOutputTopic(TOPICS.deadLetters().name(), Serdes.ByteArray().deserializer(),
                Serdes.ByteArray().deserializer());
        this.verificationRequests = driver.createOutputTopic(TOPICS.verificationRequests().name(),
                Serdes.String().deserializer(), Topics.VERIFICATION_REQUESTED.deserializer());
        this.audit = driver.createOutputTopic(TOPICS.audit().name(), Serdes.String().deserializer(),
                Topics.AUDIT_RECORD.deserializer());
        this.actions = driver.createInputTopic(TOPICS.agentActions().name(), Serdes.String().serializer(),
                Topics.AGENT_ACTION.serializer());
        this.rawActions = driver.createInputTopic(TOPICS.agentActions().name(), Serdes.String().serializer(),
                new ByteArraySerializer());
        this.handoffs = driver.createOutputTopic(TOPICS.handoffs().name(), Serdes.String().deserializer(),
                Topics.HANDOFF_EVENT.deserializer());
    }

    static CustomerMessage message(String conversationId, String messageId, String text) {
        return CustomerMessage.newBuilder()
                .setMessageId(messageId)
                .setConversationId(conversationId)
                .setCustomerEmail(null)
                .setChannel("web")
                .setText(text)
                .setSentAt(Instant.parse("2026-01-01T00:00:00Z"))
                .setMetadata(Map.of())
                .build();
    }

    void send(CustomerMessage message) {
        messages.pipeInput(message.getConversationId(), message);
    }

    /**
     * Advances wall-clock time in apply-interval steps until the replies answer {@code count} messages (or 10 s
     * passed); a reply to messages answered together counts each of them.
     */
    List<AgentReply> awaitReplies(int count) {
        pumpUntil(() -> {
            seenReplies.addAll(replies.readValuesToList());
            return answeredCount() >= count;
        });
        return List.copyOf(seenReplies);
    }

    private int answeredCount() {
        return seenReplies.stream().mapToInt(reply -> answered(reply).size()).sum();
    }

    /** Like {@link #awaitReplies} but advancing by {@code step}, to pass retry back-offs. */
    List<AgentReply> awaitRepliesAdvancing(int count, Duration step) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (answeredCount() < count) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("only " + answeredCount() + " of " + count + " messages answered within 10 s");
            }
            driver.advanceWallClockTime(step);
            seenReplies.addAll(replies.readValuesToList());
            Thread.onSpinWait();
        }
        return List.copyOf(seenReplies);
    }

    void pumpUntil(BooleanSupplier done) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not reached within 10 s");
            }
            driver.advanceWallClockTime(settings.applyInterval());
            Thread.onSpinWait();
        }
    }

    void advance(Duration duration) {
        driver.advanceWallClockTime(duration);
    }

    /** The driver's conversation stores, read (and written) as the processor does. */
    ConversationStore store() {
        return new ConversationStore(driver.getKeyValueStore(ConversationStores.META),
                driver.getKeyValueStore(ConversationStores.PENDING),
                driver.getKeyValueStore(ConversationStores.HISTORY),
                driver.getWindowStore(ConversationStores.DEDUP),
                driver.getKeyValueStore(ConversationStores.EXPIRY),
                driver.getKeyValueStore(ConversationStores.LEGACY), settings.maxRecordBytes(), protection.cipher());
    }

    /**
     * A conversation as stored, assembled as a turn would see it, with its whole stored history and every pending
     * message; null when there is none.
     */
    ConversationState state(String conversationId) {
        ConversationStore store = store();
        ConversationMeta meta = store.load(conversationId).meta();
        if (meta == null) {
            return null;
        }
        return Conversations.view(meta, store.history(meta, Integer.MAX_VALUE).turns(),
                store.pending(meta, Integer.MAX_VALUE).messages());
    }

    /** The ids of the messages a reply answers: those it names, or the one it replies to. */
    static List<String> answered(AgentReply reply) {
        return Replies.answered(reply);
    }

    /** True when the conversation remembers having accepted (or refused) the message id. */
    boolean seen(String conversationId, String messageId) {
        return store().seen(conversationId, messageId);
    }

    List<TestRecord<String, TicketEvent>> ticketEvents() {
        return ticketEvents.readRecordsToList();
    }

    /** True when no turn is running or waiting for its result to be applied. */
    boolean turnsIdle() {
        return turns.freeSlots() == maxInFlight;
    }

    @Override
    public void close() {
        driver.close();
        turns.close();
    }
}
