package io.helpstream.contract;

import io.helpstream.schema.AgentReply;
import io.helpstream.schema.ConversationEnded;
import io.helpstream.schema.ConversationState;
import io.helpstream.schema.CustomerMessage;
import io.helpstream.schema.TicketEvent;
import java.util.List;
import java.util.Objects;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/**
 * The topics helpstream reads and writes, and the serdes of their records: the one place that knows both.
 * Every key is a UTF-8 string; every value is Avro in single-object encoding.
 */
public record Topics(String customerMessages, String agentReplies, String ticketEvents, String conversationEvents,
                     String deadLetters) {

    public static final String DEFAULT_CUSTOMER_MESSAGES = "support.customer-messages";
    public static final String DEFAULT_AGENT_REPLIES = "support.agent-replies";
    public static final String DEFAULT_TICKET_EVENTS = "support.ticket-events";
    public static final String DEFAULT_CONVERSATION_EVENTS = "support.conversation-events";
    public static final String DEFAULT_DEAD_LETTERS = "support.dead-letters";

    public static final Serde<String> KEY = Serdes.String();
    public static final AvroSerde<CustomerMessage> CUSTOMER_MESSAGE = AvroSerde.of(CustomerMessage.class);
    public static final AvroSerde<AgentReply> AGENT_REPLY = AvroSerde.of(AgentReply.class);
    public static final AvroSerde<TicketEvent> TICKET_EVENT = AvroSerde.of(TicketEvent.class);
    public static final AvroSerde<ConversationEnded> CONVERSATION_ENDED = AvroSerde.of(ConversationEnded.class);
    public static final AvroSerde<ConversationState> CONVERSATION_STATE = AvroSerde.of(ConversationState.class);

    public Topics {
        Objects.requireNonNull(customerMessages, "customerMessages");
        Objects.requireNonNull(agentReplies, "agentReplies");
        Objects.requireNonNull(ticketEvents, "ticketEvents");
        Objects.requireNonNull(conversationEvents, "conversationEvents");
        Objects.requireNonNull(deadLetters, "deadLetters");
        if (List.of(customerMessages, agentReplies, ticketEvents, conversationEvents, deadLetters).stream()
                .distinct().count() != 5) {
            throw new IllegalArgumentException("topic names must be distinct: " + List.of(customerMessages,
                    agentReplies, ticketEvents, conversationEvents, deadLetters));
        }
    }

    public static Topics defaults() {
        return new Topics(DEFAULT_CUSTOMER_MESSAGES, DEFAULT_AGENT_REPLIES, DEFAULT_TICKET_EVENTS,
                DEFAULT_CONVERSATION_EVENTS, DEFAULT_DEAD_LETTERS);
    }

    public List<String> all() {
        return List.of(customerMessages, agentReplies, ticketEvents, conversationEvents, deadLetters);
    }
}
