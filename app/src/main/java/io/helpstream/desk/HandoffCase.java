package io.helpstream.desk;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * One conversation handed off to a human, as the desk shows it: who the customer is and how far that is trusted, why
 * the bot handed off, who holds it, and what happened since (the newest {@code timeline} entries; {@code dropped}
 * older ones are no longer kept).
 */
public record HandoffCase(String conversationId, String mode, Instant requestedAt, String trigger, String reason,
                          String summary, String priority, String customerId, String customerEmail, String trust,
                          List<String> openTickets, String agentId, Instant lastEventAt, List<Entry> timeline,
                          long dropped) {

    /** One event of the handoff, as the timeline shows it. */
    public record Entry(String eventId, String type, Instant at, String agentId, String actionId, String messageId,
                        String text, String reason) {
        public Entry {
            Objects.requireNonNull(eventId, "eventId");
            Objects.requireNonNull(type, "type");
            Objects.requireNonNull(at, "at");
        }
    }

    public HandoffCase {
        Objects.requireNonNull(conversationId, "conversationId");
        Objects.requireNonNull(mode, "mode");
        openTickets = List.copyOf(openTickets);
        timeline = List.copyOf(timeline);
    }

    /** The same case without its timeline, for the waiting list. */
    public HandoffCase summaryOnly() {
        return new HandoffCase(conversationId, mode, requestedAt, trigger, reason, summary, priority, customerId,
                customerEmail, trust, openTickets, agentId, lastEventAt, List.of(), dropped + timeline.size());
    }
}
