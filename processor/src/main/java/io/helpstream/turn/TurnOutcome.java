package io.helpstream.turn;

import io.helpstream.schema.CustomerBinding;
import io.helpstream.schema.TicketEvent;
import io.helpstream.schema.TokenUsage;
import io.helpstream.schema.ToolCallRecord;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What a finished turn changes: the reply, the tool calls it made, the ticket events its tools caused and the facts
 * it learned. Applied to the conversation on the stream thread, never by the turn itself.
 *
 * @param customer the customer the turn identified, or null when it learned nothing new
 */
public record TurnOutcome(String replyText, String model, TokenUsage usage, List<ToolCallRecord> toolCalls,
                          List<TicketEvent> ticketEvents, Map<String, String> contextUpdates,
                          CustomerBinding customer, boolean degraded) {

    public TurnOutcome {
        Objects.requireNonNull(replyText, "replyText");
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(usage, "usage");
        toolCalls = List.copyOf(toolCalls);
        ticketEvents = List.copyOf(ticketEvents);
        contextUpdates = Map.copyOf(contextUpdates);
    }

    public static Builder builder() {
        return new Builder();
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

        /** The events the turn's tools reported so far (a failing turn's writes are still to be published). */
        public List<TicketEvent> ticketEventsSoFar() {
            return List.copyOf(ticketEvents);
        }

        public TurnOutcome build() {
            return new TurnOutcome(replyText, model, usage, toolCalls, ticketEvents, contextUpdates, customer,
                    degraded);
        }
    }
}
