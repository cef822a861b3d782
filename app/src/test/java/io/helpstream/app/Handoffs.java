package io.helpstream.app;

import io.helpstream.schema.AgentReply;
import io.helpstream.schema.ConversationMode;
import io.helpstream.schema.HandoffEvent;
import io.helpstream.schema.HandoffEventType;
import io.helpstream.schema.HandoffTrigger;
import io.helpstream.schema.ReplyAuthor;
import io.helpstream.schema.TicketPriority;
import io.helpstream.schema.TokenUsage;
import io.helpstream.schema.TrustLevel;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** Handoff events and human replies as helpstream's processor writes them, for tests of what reads them. */
final class Handoffs {

    private Handoffs() {
    }

    static HandoffEvent requested(String conversationId, Instant at, String reason, String summary, String email,
                                  List<String> openTickets) {
        return HandoffEvent.newBuilder()
                .setEventId(UUID.randomUUID().toString())
                .setConversationId(conversationId)
                .setType(HandoffEventType.REQUESTED)
                .setAt(at)
                .setMode(ConversationMode.WAITING_FOR_HUMAN)
                .setRequestedAt(at)
                .setTrigger(HandoffTrigger.CUSTOMER_ASKED)
                .setReason(reason)
                .setSummary(summary)
                .setCustomerId("CUST001")
                .setCustomerEmail(email)
                .setTrust(TrustLevel.VERIFIED)
                .setOpenTickets(openTickets)
                .setPriority(TicketPriority.HIGH)
                .build();
    }

    /** A later event of the same handoff: {@code type}, leaving the conversation in {@code mode}. */
    static HandoffEvent next(HandoffEvent requested, HandoffEventType type, ConversationMode mode, Instant at,
                             String agentId, String actionId, String text, String reason) {
        return HandoffEvent.newBuilder(requested)
                .setEventId(UUID.randomUUID().toString())
                .setType(type)
                .setMode(mode)
                .setAt(at)
                .setReason(reason)
                .setSummary(null)
                .setAgentId(agentId)
                .setActionId(actionId)
                .setText(text)
                .setMessageId(type == HandoffEventType.CUSTOMER_MESSAGE ? UUID.randomUUID().toString() : null)
                .build();
    }

    static AgentReply humanReply(String conversationId, String agentId, String actionId, String text) {
        return AgentReply.newBuilder()
                .setReplyId(UUID.randomUUID().toString())
                .setConversationId(conversationId)
                .setInReplyTo(actionId)
                .setText(text)
                .setCreatedAt(Instant.now())
                .setModel("human")
                .setUsage(new TokenUsage(0, 0, 0))
                .setLatencyMs(0)
                .setAuthor(ReplyAuthor.HUMAN)
                .setAgentId(agentId)
                .build();
    }
}
