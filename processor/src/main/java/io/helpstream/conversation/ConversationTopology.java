package io.helpstream.conversation;

import io.helpstream.contract.ConversationStores;
import io.helpstream.contract.Topic;
import io.helpstream.contract.Topics;
import io.helpstream.protection.DataProtection;
import io.helpstream.schema.CustomerMessage;
import io.helpstream.telemetry.Tracing;
import io.helpstream.tickets.SupportRepository;
import io.helpstream.turn.TurnExecutor;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Optional;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.state.Stores;

/**
 * The whole stream topology, in one place:
 *
 * <pre>
 *  customer-messages ─▶ messages ─▶ validate ─────────────┐
 *  control ─▶ commands ──┘ replays    │                     ├─▶ conversations ─┬─▶ agent-replies      bot and human
 *  agent-actions ─▶ agent-actions-validate ────────────────┘         │         ├─▶ ticket-events
 *          │           │              │                              │         ├─▶ handoffs           modes, messages
 *          │           │              │                              │         │                      while handed off
 *          │ unreadable│              │ invalid                      │         ├─▶ conversation-events
 *          │           │              │                              │         ├─▶ verification-requests
 *          │           └──────────────┼──────────────────────────────┼─────────┴─▶ audit
 *          └──────────────────────────┴──────────────────────────────┴──▶ dead-letters: poisoned messages, full
 *                                                                         inboxes, unreadable records, identity
 *                                                                         mismatches, malformed agent actions
 *
 *  stores of "conversations" (each with its changelog):
 *    conversation-meta     id                  → ConversationMeta (binding, times, counts, context)
 *    conversation-pending  (id, sequence)      → PendingMessage   (accepted, not yet answered)
 *    conversation-history  (id, turn number)   → HistoryTurn      (the last history-window turns)
 *    conversation-dedup    (id, message id)    → accepted ids, a window store kept for the dedup retention
 *    conversation-expiry   (deadline, id)      → when to look at a conversation for idleness
 *    conversations         id                  → version-1 ConversationState, moved into the above at start
 * </pre>
 *
 * The control topic ({@link ControlTopic}) carries operators' commands to the task that owns their conversation; the
 * commands processor shares the conversations' stores, and forwards a replayed dead letter into the messages.
 *
 * <p>Unreadable records (deserialisation) and invalid ones (validation, identity checks) reach the dead-letter topic
 * through Kafka Streams' own exception handlers, which copy the source record unchanged and name the error in
 * headers. Messages the processor answers with the apology because of a failure inside their conversation (see
 * {@link ConversationProcessor}) reach it through the processor's own sink, in the same transaction as the apology.
 */
public final class ConversationTopology {

    /** The sinks the conversation processor forwards to, by name. */
    static final String REPLIES = "agent-replies";
    static final String TICKET_EVENTS = "ticket-events";
    static final String CONVERSATION_EVENTS = "conversation-events";
    static final String DEAD_LETTERS = "conversation-dead-letters";
    static final String VERIFICATION_REQUESTS = "verification-requests";
    static final String AUDIT = "audit";
    static final String HANDOFFS = "handoffs";
    /** The agent actions' source and validation nodes are named with this prefix (dead letters tell them apart). */
    static final String AGENT_ACTIONS = "agent-actions";
    /** The customer messages and the replayed dead letters, merged: where the control processor forwards replays. */
    static final String MESSAGES = "messages";
    /** The sink of the control processor's audit records (erasures). */
    static final String CONTROL_AUDIT = "control-audit";

    private ConversationTopology() {
    }

    public static Topology build(StreamsBuilder builder, Topics topics, ConversationSettings settings,
                                 TurnExecutor turns, MeterRegistry registry) {
        return build(builder, topics, settings, turns, registry, StoreSuppliers.persistent(settings.dedupRetention()));
    }

    /** The same topology over other kinds of stores (in memory, or stores a test prepared). */
    public static Topology build(StreamsBuilder builder, Topics topics, ConversationSettings settings,
                                 TurnExecutor turns, MeterRegistry registry, StoreSuppliers stores) {
        return build(builder, topics, settings, turns, registry, stores, DataProtection.none());
    }

    /**
     * The topology with its stored values and dead letters protected as {@code protection} says (the exception
     * handlers get the same dead-letter policy through the streams config: {@code StreamsSettings}).
     */
    public static Topology build(StreamsBuilder builder, Topics topics, ConversationSettings settings,
                                 TurnExecutor turns, MeterRegistry registry, StoreSuppliers stores,
                                 DataProtection protection) {
        return build(builder, topics, settings, turns, registry, stores, protection, Tracing.off());
    }

    /** The topology with each turn traced as {@code tracing} says ({@link TurnTraces}), and no control topic. */
    public static Topology build(StreamsBuilder builder, Topics topics, ConversationSettings settings,
                                 TurnExecutor turns, MeterRegistry registry, StoreSuppliers stores,
                                 DataProtection protection, Tracing tracing) {
        return build(builder, topics, settings, turns, registry, stores, protection, tracing, ControlTopic.none());
    }

    /** The topology with operators' commands read from {@code control}, and no ticket system for handoffs. */
    public static Topology build(StreamsBuilder builder, Topics topics, ConversationSettings settings,
                                 TurnExecutor turns, MeterRegistry registry, StoreSuppliers stores,
                                 DataProtection protection, Tracing tracing, ControlTopic control) {
        return build(builder, topics, settings, turns, registry, stores, protection, tracing, control,
                Optional.empty());
    }

    /**
     * The whole topology, operators' commands read from {@code control} ({@link ControlProcessor}); {@code tickets}
     * lists a customer's open tickets when a conversation is handed off and opens the return-to-bot policy's
     * follow-up ticket ({@link HandoffTickets}).
     */
    public static Topology build(StreamsBuilder builder, Topics topics, ConversationSettings settings,
                                 TurnExecutor turns, MeterRegistry registry, StoreSuppliers stores,
                                 DataProtection protection, Tracing tracing, ControlTopic control,
                                 Optional<SupportRepository> tickets) {
        // Values are stored as the encoded bytes: the processor decodes them itself, so an unreadable record is its
        // to handle.
        builder.addStateStore(Stores.keyValueStoreBuilder(stores.meta(), Topics.KEY, Serdes.ByteArray()));
        builder.addStateStore(Stores.keyValueStoreBuilder(stores.pending(), Serdes.Bytes(), Serdes.ByteArray()));
        builder.addStateStore(Stores.keyValueStoreBuilder(stores.history(), Serdes.Bytes(), Serdes.ByteArray()));
        builder.addStateStore(Stores.windowStoreBuilder(stores.dedup(), Serdes.Bytes(), Serdes.ByteArray()));
        builder.addStateStore(Stores.keyValueStoreBuilder(stores.expiry(), Serdes.Bytes(), Serdes.ByteArray()));
        builder.addStateStore(Stores.keyValueStoreBuilder(stores.legacy(), Topics.KEY, Serdes.ByteArray()));
        MessageValidator validator = new MessageValidator(settings.messageLimits());
        // Shared by every task of this topology: a task that failed applying a turn is recreated, its count is not.
        ApplyFailures applyFailures = new ApplyFailures();

        KStream<String, CustomerMessage> messages = builder
                .stream(topics.customerMessages().name(), consumed(topics.customerMessages(), "customer-messages"));
        if (control.name().isPresent()) {
            // Replayed dead letters join the customer messages before validation, as if they came again.
            messages = messages.merge(replays(builder, control.name().get(), topics, settings, registry, protection),
                    Named.as(MESSAGES));
        }
        // The human agents' actions are a second input of the same processor: keyed by conversation id and
        // co-partitioned with the customer messages (same partition count), so an action meets its conversation.
        AgentActionValidator actionValidator = new AgentActionValidator();
        KStream<String, Object> actions = builder
                .stream(topics.agentActions().name(), consumed(topics.agentActions(), AGENT_ACTIONS))
                .mapValues(actionValidator::validate, Named.as(AGENT_ACTIONS + "-validate"))
                .mapValues(action -> (Object) action, Named.as(AGENT_ACTIONS + "-as-input"));
        KStream<String, Object> outputs = messages
                .mapValues(validator::validate, Named.as("validate"))
                .mapValues(message -> (Object) message, Named.as("messages-as-input"))
                .merge(actions, Named.as("inputs"))
                .process(() -> new ConversationProcessor(settings, topics, turns, registry, applyFailures,
                                protection, tracing, control, tickets),
                        Named.as("conversations"), ConversationStores.all().toArray(String[]::new));
        // Each output type has its sink; the processor forwards every record to one of them by name.
        outputs.to(topics.agentReplies().name(), produced(topics.agentReplies(), REPLIES));
        outputs.to(topics.ticketEvents().name(), produced(topics.ticketEvents(), TICKET_EVENTS));
        outputs.to(topics.conversationEvents().name(), produced(topics.conversationEvents(), CONVERSATION_EVENTS));
        outputs.to(topics.deadLetters().name(), Produced.with(Topics.KEY, bytes()).withName(DEAD_LETTERS));
        outputs.to(topics.verificationRequests().name(), produced(topics.verificationRequests(),
                VERIFICATION_REQUESTS));
        outputs.to(topics.audit().name(), produced(topics.audit(), AUDIT));
        outputs.to(topics.handoffs().name(), produced(topics.handoffs(), HANDOFFS));
        return builder.build();
    }

    /**
     * The control topic's records, carried out by the {@link ControlProcessor}: it forwards replays into the
     * messages, and the audit records of erasures to a sink of their own.
     */
    @SuppressWarnings("unchecked")
    private static KStream<String, CustomerMessage> replays(StreamsBuilder builder, String control, Topics topics,
                                                            ConversationSettings settings, MeterRegistry registry,
                                                            DataProtection protection) {
        KStream<String, Object> commands = builder
                .stream(control, Consumed.with(Topics.KEY, Serdes.ByteArray()).withName("control"))
                .process(() -> new ControlProcessor(settings, protection.cipher(), registry), Named.as("commands"),
                        ConversationStores.all().toArray(String[]::new));
        commands.to(topics.audit().name(), produced(topics.audit(), CONTROL_AUDIT));
        return (KStream<String, CustomerMessage>) (KStream<?, ?>) commands;
    }

    private static <K, V> Consumed<K, V> consumed(Topic<K, V> topic, String name) {
        return Consumed.with(topic.keySerde(), topic.valueSerde()).withName(name);
    }

    /** A sink for one record type of the processor's output; only records of that type are forwarded to it. */
    @SuppressWarnings("unchecked")
    private static <V extends SpecificRecord> Produced<String, Object> produced(Topic<String, V> topic, String name) {
        return Produced.with(topic.keySerde(), (Serde<Object>) (Serde<?>) topic.valueSerde()).withName(name);
    }

    /** The dead letters the processor writes itself are bytes already encoded. */
    @SuppressWarnings("unchecked")
    private static Serde<Object> bytes() {
        return (Serde<Object>) (Serde<?>) Serdes.ByteArray();
    }
}
