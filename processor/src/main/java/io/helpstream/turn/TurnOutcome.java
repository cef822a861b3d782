package io.helpstream.turn;

import io.helpstream.schema.AuditRecord;
import io.helpstream.schema.CustomerBinding;
import io.helpstream.schema.TicketEvent;
import io.helpstream.schema.TokenUsage;
import io.helpstream.schema.ToolCallRecord;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What a finished turn changes: the reply, the tool calls it made, the ticket events its tools caused and the facts
 * it learned, the audit records of its decisions and the identity changes it proposes. Applied to the conversation on
 * the stream thread, never by the turn itself: a proposal is checked again there against the stored conversation.
 *
 * @param customer          the customer the turn identified, or null when it learned nothing new; a turn can only
 *                          ever claim an identity, never verify one by this
 * @param audit             what the turn's tools and budgets allowed and refused, in order
 * @param verificationStart a one-time code to make for a claimed email, or null
 * @param codeAttempts      the verification codes tried in this turn, in order
 * @param handoff           the agent asked to hand the conversation to a human, or null
 */
public record TurnOutcome(String replyText, String model, TokenUsage usage, List<ToolCallRecord> toolCalls,
                          List<TicketEvent> ticketEvents, Map<String, String> contextUpdates,
                          CustomerBinding customer, boolean degraded, List<AuditRecord> audit,
                          VerificationStart verificationStart, List<CodeAttempt> codeAttempts,
                          HandoffRequest handoff) {

    /** The agent's request to hand the conversation to a human: why, and a short summary for the human. */
    public record HandoffRequest(String reason, String summary) {
        public HandoffRequest {
            Objects.requireNonNull(reason, "reason");
            Objects.requireNonNull(summary, "summary");
        }
    }

    /**
     * Make a one-time code for {@code email}.
     *
     * @param customerId the database's customer with that email, or null when there is none: then a code is kept
     *                   (so that the conversation goes on as for a customer) but sent nowhere
     */
    public record VerificationStart(String email, String customerId) {
        public VerificationStart {
            Objects.requireNonNull(email, "email");
        }
    }

    /** A code typed (or passed by the model) to complete the verification, and when it was checked. */
    public record CodeAttempt(String code, Instant at) {
        public CodeAttempt {
            Objects.requireNonNull(code, "code");
            Objects.requireNonNull(at, "at");
        }
    }

    public TurnOutcome {
        Objects.requireNonNull(replyText, "replyText");
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(usage, "usage");
        toolCalls = List.copyOf(toolCalls);
        ticketEvents = List.copyOf(ticketEvents);
        contextUpdates = Map.copyOf(contextUpdates);
        audit = List.copyOf(audit);
        codeAttempts = List.copyOf(codeAttempts);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The same outcome with other ticket events. */
    public TurnOutcome withTicketEvents(List<TicketEvent> events) {
        return new TurnOutcome(replyText, model, usage, toolCalls, events, contextUpdates, customer, degraded, audit,
                verificationStart, codeAttempts, handoff);
    }

    /** The same outcome, marked as answered by the fallback model. */
    public TurnOutcome asDegraded() {
        return new TurnOutcome(replyText, model, usage, toolCalls, ticketEvents, contextUpdates, customer, true, audit,
                verificationStart, codeAttempts, handoff);
    }

    /** Collects an outcome while a turn runs; tools add to it, so it is safe to use from one thread at a time. */
    public static final class Builder {
        private String replyText;
        private String model = "unknown";
        private TokenUsage usage = new TokenUsage(0, 0, 0);
        private final List<ToolCallRecord> toolCalls = new ArrayList<>();
        private final List<TicketEvent> ticketEvents = new ArrayList<>();
        private final Map<String, String> contextUpdates = new LinkedHashMap<>();
        private CustomerBinding customer;
        private boolean degraded;
        private final List<AuditRecord> audit = new ArrayList<>();
        private VerificationStart verificationStart;
        private final List<CodeAttempt> codeAttempts = new ArrayList<>();
        private HandoffRequest handoff;

        private Builder() {
        }

        public Builder replyText(String replyText) {
            this.replyText = replyText;
            return this;
        }

        public Builder model(String model) {
            this.model = model;
            return this;
        }

        public Builder usage(TokenUsage usage) {
            this.usage = usage;
            return this;
        }

        public Builder toolCall(ToolCallRecord call) {
            toolCalls.add(call);
            return this;
        }

        public Builder ticketEvent(TicketEvent event) {
            ticketEvents.add(event);
            return this;
        }

        public Builder context(String key, String value) {
            contextUpdates.put(key, value);
            return this;
        }

        public Builder customer(CustomerBinding customer) {
            this.customer = customer;
            return this;
        }

        public Builder degraded(boolean degraded) {
            this.degraded = degraded;
            return this;
        }

        public Builder audit(AuditRecord record) {
            audit.add(record);
            return this;
        }

        public Builder verificationStart(VerificationStart start) {
            this.verificationStart = start;
            return this;
        }

        public Builder codeAttempt(CodeAttempt attempt) {
            codeAttempts.add(attempt);
            return this;
        }

        public Builder handoff(HandoffRequest request) {
            this.handoff = request;
            return this;
        }

        /** The handoff asked for so far, or null. */
        public HandoffRequest handoffSoFar() {
            return handoff;
        }

        /** The events the turn's tools reported so far (a failing turn's writes are still to be published). */
        public List<TicketEvent> ticketEventsSoFar() {
            return List.copyOf(ticketEvents);
        }

        /** The audit records of the turn's decisions so far. */
        public List<AuditRecord> auditSoFar() {
            return List.copyOf(audit);
        }

        /** The verification codes tried so far. */
        public List<CodeAttempt> codeAttemptsSoFar() {
            return List.copyOf(codeAttempts);
        }

        /** The one-time code asked for so far, or null. */
        public VerificationStart verificationStartSoFar() {
            return verificationStart;
        }

        public TurnOutcome build() {
            return new TurnOutcome(replyText, model, usage, toolCalls, ticketEvents, contextUpdates, customer,
                    degraded, audit, verificationStart, codeAttempts, handoff);
        }
    }
}
