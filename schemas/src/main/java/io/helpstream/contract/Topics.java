package io.helpstream.contract;

import io.helpstream.schema.AgentAction;
import io.helpstream.schema.AgentReply;
import io.helpstream.schema.AuditRecord;
import io.helpstream.schema.ConversationEnded;
import io.helpstream.schema.ConversationMeta;
import io.helpstream.schema.ConversationState;
import io.helpstream.schema.CustomerMessage;
import io.helpstream.schema.DeadLetterReplay;
import io.helpstream.schema.HandoffEvent;
import io.helpstream.schema.HistoryTurn;
import io.helpstream.schema.PendingMessage;
import io.helpstream.schema.TicketEvent;
import io.helpstream.schema.VerificationRequested;
import java.util.List;
import java.util.Objects;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/**
 * The topics helpstream reads and writes, each bound to the serdes of its records: the one place that knows both.
 * Every key is a UTF-8 string; every value is Avro in single-object encoding, read with the schema it was written
 * with: the current one or any released version ({@link ReleasedSchemas}). Dead letters keep the bytes of the record
 * that could not be processed, unchanged. The verification requests carry one-time codes and the audit trail who did
 * what: both need topic ACLs that let only their readers in (see SECURITY.md). Handoff events and agent actions are
 * the contract with a human-agent desk.
 */
public record Topics(Topic<String, CustomerMessage> customerMessages, Topic<String, AgentReply> agentReplies,
                     Topic<String, TicketEvent> ticketEvents, Topic<String, ConversationEnded> conversationEvents,
                     Topic<byte[], byte[]> deadLetters, Topic<String, VerificationRequested> verificationRequests,
                     Topic<String, AuditRecord> audit, Topic<String, HandoffEvent> handoffs,
                     Topic<String, AgentAction> agentActions) {

    public static final String DEFAULT_CUSTOMER_MESSAGES = "support.customer-messages";
    public static final String DEFAULT_AGENT_REPLIES = "support.agent-replies";
    public static final String DEFAULT_TICKET_EVENTS = "support.ticket-events";
    public static final String DEFAULT_CONVERSATION_EVENTS = "support.conversation-events";
    public static final String DEFAULT_DEAD_LETTERS = "support.dead-letters";
    public static final String DEFAULT_VERIFICATION_REQUESTS = "support.verification-requests";
    public static final String DEFAULT_AUDIT = "support.audit";
    public static final String DEFAULT_HANDOFFS = "support.handoffs";
    public static final String DEFAULT_AGENT_ACTIONS = "support.agent-actions";

    public static final Serde<String> KEY = Serdes.String();

    // Every value serde reads records written with any released schema: topics and changelogs keep older records.
    private static final ReleasedSchemas RELEASED = ReleasedSchemas.packaged();
    public static final AvroSerde<CustomerMessage> CUSTOMER_MESSAGE = RELEASED.serde(CustomerMessage.class);
    public static final AvroSerde<AgentReply> AGENT_REPLY = RELEASED.serde(AgentReply.class);
    public static final AvroSerde<TicketEvent> TICKET_EVENT = RELEASED.serde(TicketEvent.class);
    public static final AvroSerde<ConversationEnded> CONVERSATION_ENDED = RELEASED.serde(ConversationEnded.class);
    public static final AvroSerde<ConversationState> CONVERSATION_STATE = RELEASED.serde(ConversationState.class);
    public static final AvroSerde<ConversationMeta> CONVERSATION_META = RELEASED.serde(ConversationMeta.class);
    public static final AvroSerde<PendingMessage> PENDING_MESSAGE = RELEASED.serde(PendingMessage.class);
    public static final AvroSerde<HistoryTurn> HISTORY_TURN = RELEASED.serde(HistoryTurn.class);
    public static final AvroSerde<VerificationRequested> VERIFICATION_REQUESTED =
            RELEASED.serde(VerificationRequested.class);
    public static final AvroSerde<AuditRecord> AUDIT_RECORD = RELEASED.serde(AuditRecord.class);
    public static final AvroSerde<HandoffEvent> HANDOFF_EVENT = RELEASED.serde(HandoffEvent.class);
    public static final AvroSerde<AgentAction> AGENT_ACTION = RELEASED.serde(AgentAction.class);
    /** The ledger of replayed dead letters (see {@code helpstream dlq replay}). */
    public static final AvroSerde<DeadLetterReplay> DEAD_LETTER_REPLAY = RELEASED.serde(DeadLetterReplay.class);

    public Topics {
        Objects.requireNonNull(customerMessages, "customerMessages");
        Objects.requireNonNull(agentReplies, "agentReplies");
        Objects.requireNonNull(ticketEvents, "ticketEvents");
        Objects.requireNonNull(conversationEvents, "conversationEvents");
        Objects.requireNonNull(deadLetters, "deadLetters");
        Objects.requireNonNull(verificationRequests, "verificationRequests");
        Objects.requireNonNull(audit, "audit");
        Objects.requireNonNull(handoffs, "handoffs");
        Objects.requireNonNull(agentActions, "agentActions");
        List<String> names = List.of(customerMessages.name(), agentReplies.name(), ticketEvents.name(),
                conversationEvents.name(), deadLetters.name(), verificationRequests.name(), audit.name(),
                handoffs.name(), agentActions.name());
        if (names.stream().distinct().count() != names.size()) {
            throw new IllegalArgumentException("topic names must be distinct: " + names);
        }
    }

    /** The topics under the given names, each with its serdes. */
    public static Topics named(String customerMessages, String agentReplies, String ticketEvents,
                               String conversationEvents, String deadLetters, String verificationRequests,
                               String audit, String handoffs, String agentActions) {
        return new Topics(new Topic<>(customerMessages, KEY, CUSTOMER_MESSAGE),
                new Topic<>(agentReplies, KEY, AGENT_REPLY),
                new Topic<>(ticketEvents, KEY, TICKET_EVENT),
                new Topic<>(conversationEvents, KEY, CONVERSATION_ENDED),
                new Topic<>(deadLetters, Serdes.ByteArray(), Serdes.ByteArray()),
                new Topic<>(verificationRequests, KEY, VERIFICATION_REQUESTED),
                new Topic<>(audit, KEY, AUDIT_RECORD),
                new Topic<>(handoffs, KEY, HANDOFF_EVENT),
                new Topic<>(agentActions, KEY, AGENT_ACTION));
    }

    /** The topics under the given names; handoffs and agent actions under their defaults. */
    public static Topics named(String customerMessages, String agentReplies, String ticketEvents,
                               String conversationEvents, String deadLetters, String verificationRequests,
                               String audit) {
        return named(customerMessages, agentReplies, ticketEvents, conversationEvents, deadLetters,
                verificationRequests, audit, DEFAULT_HANDOFFS, DEFAULT_AGENT_ACTIONS);
    }

    /** The five conversation topics under the given names; the others under their defaults. */
    public static Topics named(String customerMessages, String agentReplies, String ticketEvents,
                               String conversationEvents, String deadLetters) {
        return named(customerMessages, agentReplies, ticketEvents, conversationEvents, deadLetters,
                DEFAULT_VERIFICATION_REQUESTS, DEFAULT_AUDIT);
    }

    public static Topics defaults() {
        return named(DEFAULT_CUSTOMER_MESSAGES, DEFAULT_AGENT_REPLIES, DEFAULT_TICKET_EVENTS,
                DEFAULT_CONVERSATION_EVENTS, DEFAULT_DEAD_LETTERS, DEFAULT_VERIFICATION_REQUESTS, DEFAULT_AUDIT,
                DEFAULT_HANDOFFS, DEFAULT_AGENT_ACTIONS);
    }

    /** Every topic's name. */
    public List<String> all() {
        return List.of(customerMessages.name(), agentReplies.name(), ticketEvents.name(), conversationEvents.name(),
                deadLetters.name(), verificationRequests.name(), audit.name(), handoffs.name(), agentActions.name());
    }
}
