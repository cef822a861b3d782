package io.helpstream.conversation;

import io.helpstream.contract.Topics;
import io.helpstream.schema.AgentReply;
import io.helpstream.schema.ConversationEnded;
import io.helpstream.schema.TicketEvent;
import io.helpstream.turn.TurnExecutor;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Branched;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.state.KeyValueBytesStoreSupplier;
import org.apache.kafka.streams.state.Stores;

/**
 * The whole stream topology, in one place:
 *
 * <pre>
 *  customer-messages ─▶ validate ─▶ conversations [store: conversations] ─┬─▶ agent-replies
 *          │ unreadable      │ invalid                                     ├─▶ ticket-events
 *          └────────────────┴──────▶ dead-letters                          └─▶ conversation-events
 * </pre>
 *
 * Unreadable records (deserialisation) and invalid ones (validation, identity checks) reach the dead-letter topic
 * through Kafka Streams' own exception handlers, which copy the source record unchanged and name the error in
 * headers.
 */
public final class ConversationTopology {

    /** The conversation state store; its changelog makes conversations survive a crash. */
    public static final String STORE = "conversations";

    private ConversationTopology() {
    }

    public static Topology build(StreamsBuilder builder, Topics topics, ConversationSettings settings,
                                 TurnExecutor turns, MeterRegistry registry) {
        return build(builder, topics, settings, turns, registry, Stores.persistentKeyValueStore(STORE));
    }

    /** The same topology over another kind of store (in memory, or one a test prepared). */
    public static Topology build(StreamsBuilder builder, Topics topics, ConversationSettings settings,
                                 TurnExecutor turns, MeterRegistry registry, KeyValueBytesStoreSupplier store) {
        if (!STORE.equals(store.name())) {
            throw new IllegalArgumentException("the conversation store must be named " + STORE);
        }
        builder.addStateStore(Stores.keyValueStoreBuilder(store, Topics.KEY, Topics.CONVERSATION_STATE));
        MessageValidator validator = new MessageValidator(settings.maxTextChars());

        KStream<String, SpecificRecord> outputs = builder
                .stream(topics.customerMessages(), Consumed.with(Topics.KEY, Topics.CUSTOMER_MESSAGE)
                        .withName("customer-messages"))
                .mapValues(validator::validate, Named.as("validate"))
                .process(() -> new ConversationProcessor(settings, turns, registry), Named.as("conversations"),
                        STORE);

        outputs.split(Named.as("output-"))
                .branch((key, value) -> value instanceof AgentReply, Branched.withConsumer(replies -> replies
                        .mapValues(value -> (AgentReply) value, Named.as("as-reply"))
                        .to(topics.agentReplies(), Produced.with(Topics.KEY, Topics.AGENT_REPLY)
                                .withName("agent-replies")), "replies"))
                .branch((key, value) -> value instanceof TicketEvent, Branched.withConsumer(events -> events
                        .mapValues(value -> (TicketEvent) value, Named.as("as-ticket-event"))
                        .to(topics.ticketEvents(), Produced.with(Topics.KEY, Topics.TICKET_EVENT)
                                .withName("ticket-events")), "ticket-events"))
                .branch((key, value) -> value instanceof ConversationEnded, Branched.withConsumer(ended -> ended
                        .mapValues(value -> (ConversationEnded) value, Named.as("as-conversation-ended"))
                        .to(topics.conversationEvents(), Produced.with(Topics.KEY, Topics.CONVERSATION_ENDED)
                                .withName("conversation-events")), "conversation-events"))
                .noDefaultBranch();
        return builder.build();
    }
}
