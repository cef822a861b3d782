package io.helpstream.tools;

import io.helpstream.schema.TicketPriority;
import io.helpstream.schema.TicketStatus;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * What a tool call found or did, one record per outcome. {@link ToolResults} writes it for the model as a JSON object
 * of its fields, with the kind of result and the {@link #message()} added, and reads such a text back. Code acts on
 * the fields only: the message is for the model and may be reworded freely.
 */
public sealed interface ToolResult {

    /** A short summary in words for the model; never read back. */
    String message();

    /** True when the call did nothing because it was not allowed, or past a limit (audited as refused). */
    default boolean refusal() {
        return false;
    }

    /** A customer's profile and their most recent tickets, newest first. */
    record CustomerFound(String customerId, String name, String email, String phone, String tier,
                         Instant memberSince, Instant lastActivity, List<TicketSummary> recentTickets)
            implements ToolResult {
        public CustomerFound {
            Objects.requireNonNull(customerId, "customerId");
            Objects.requireNonNull(email, "email");
            recentTickets = List.copyOf(recentTickets);
        }

        @Override
        public String message() {
            return "Found " + name + " (" + tier + " tier) with " + recentTickets.size() + " recent ticket"
                    + (recentTickets.size() == 1 ? "" : "s") + ".";
        }
    }

    /** A ticket as a customer's profile lists it. */
    record TicketSummary(String ticketId, String subject, TicketStatus status, TicketPriority priority,
                         Instant createdAt) {
    }

    record CustomerNotFound(String email) implements ToolResult {
        @Override
        public String message() {
            return "No customer found with email " + email + ".";
        }
    }

    /**
     * Not done: the turn or the conversation reached one of its limits ({@link ToolLimits}).
     *
     * @param limit what is limited, e.g. "ticket writes per message"
     * @param max   the limit
     */
    record LimitReached(String limit, int max) implements ToolResult {
        @Override
        public String message() {
            return "Not done: the limit of " + max + " " + limit + " is reached. Tell the customer what was done and "
                    + "do not try again in this message.";
        }

        @Override
        public boolean refusal() {
            return true;
        }
    }

    /** The conversation belongs to another customer than the one asked for. */
    record OtherCustomerRefused(String boundEmail, String requestedEmail) implements ToolResult {
        @Override
        public String message() {
            return "This conversation belongs to " + boundEmail + "; I can only act for that customer, not for "
                    + requestedEmail + ".";
        }

        @Override
        public boolean refusal() {
            return true;
        }
    }

    /** A ticket tool was called before anyone identified the customer. */
    record CustomerNotIdentified() implements ToolResult {
        @Override
        public String message() {
            return "No customer is identified in this conversation yet. Ask the customer for their email address "
                    + "and look them up with " + ToolNames.LOOKUP_CUSTOMER + " first.";
        }

        @Override
        public boolean refusal() {
            return true;
        }
    }

    /**
     * The conversation's customer only claimed this email (typed it): no account data and no ticket until the email
     * is verified. The same answer whether or not a customer has the email, so emails cannot be probed.
     */
    record VerificationRequired(String email) implements ToolResult {
        @Override
        public String message() {
            return "The customer only claimed the email " + email + "; it is not verified. Share no account data and "
                    + "change no tickets. Offer to send a one-time code to that address with "
                    + ToolNames.REQUEST_VERIFICATION_CODE + "; the customer then types it and you call "
                    + ToolNames.VERIFY_CODE + ". General and FAQ questions can be answered meanwhile.";
        }

        @Override
        public boolean refusal() {
            return true;
        }
    }

    /** A code is on its way, if a customer has the email: the same answer either way. */
    record VerificationCodeSent(String email, long minutesValid) implements ToolResult {
        @Override
        public String message() {
            return "If " + email + " belongs to a customer, a one-time code was sent to it, valid for " + minutesValid
                    + " minutes. Ask the customer to type it here; never guess or make up a code.";
        }
    }

    /** The code was right: the conversation's email is verified from now on. */
    record VerificationPassed(String email) implements ToolResult {
        @Override
        public String message() {
            return "The code is right: " + email + " is verified. Account data and tickets are available now.";
        }
    }

    /** The code was wrong; the customer may try again {@code attemptsLeft} times. */
    record VerificationFailed(int attemptsLeft) implements ToolResult {
        @Override
        public String message() {
            return "The code is not right. " + (attemptsLeft > 0 ? attemptsLeft + " attempts are left."
                    : "No attempts are left; offer to send a new code.");
        }

        @Override
        public boolean refusal() {
            return true;
        }
    }

    /**
     * No code can be checked: none was sent ({@code none}), it expired ({@code expired}) or every attempt was used
     * ({@code exhausted}).
     */
    record VerificationUnavailable(String reason) implements ToolResult {
        @Override
        public String message() {
            return "No code can be checked (" + reason + "). Offer to send a new one with "
                    + ToolNames.REQUEST_VERIFICATION_CODE + ".";
        }

        @Override
        public boolean refusal() {
            return true;
        }
    }

    /**
     * The conversation is handed to a human once this turn's reply is written: from then on a person answers.
     *
     * @param reason why, as the agent gave it
     */
    record HandoffRequested(String reason) implements ToolResult {
        public HandoffRequested {
            Objects.requireNonNull(reason, "reason");
        }

        @Override
        public String message() {
            return "A member of the support team will take over this conversation. Tell the customer so in one short "
                    + "sentence and ask them to wait here; do not call other tools.";
        }
    }

    /** Not done: the agent asked for a handoff without saying why. */
    record HandoffNeedsReason() implements ToolResult {
        @Override
        public String message() {
            return "Not done: give a short reason and a summary for the human agent.";
        }

        @Override
        public boolean refusal() {
            return true;
        }
    }

    /** The conversation's email is verified already; nothing to do. */
    record AlreadyVerified(String email) implements ToolResult {
        @Override
        public String message() {
            return email + " is verified already.";
        }
    }

    /** @param additionalInfo what was remembered besides the email; empty when nothing */
    record CustomerRemembered(String email, String additionalInfo) implements ToolResult {
        public CustomerRemembered {
            additionalInfo = additionalInfo == null ? "" : additionalInfo;
        }

        @Override
        public String message() {
            return "Remembered customer email " + email
                    + (additionalInfo.isEmpty() ? "." : " and: " + additionalInfo);
        }
    }

    /**
     * @param customerName the name of the ticket's customer, when known
     * @param responseTime the response time promised for the priority, like "24 hours"
     */
    record TicketCreated(String ticketId, String customerName, String subject, TicketPriority priority,
                         String responseTime) implements ToolResult {
        public TicketCreated {
            Objects.requireNonNull(ticketId, "ticketId");
        }

        @Override
        public String message() {
            return "Support ticket " + ticketId + " created" + (customerName == null ? "" : " for " + customerName)
                    + "; we'll get back to the customer within " + responseTime + ".";
        }
    }

    /** @param notes the notes recorded with the change; empty when none */
    record TicketStatusChanged(String ticketId, TicketStatus status, String notes) implements ToolResult {
        public TicketStatusChanged {
            notes = notes == null ? "" : notes;
        }

        @Override
        public String message() {
            return "Ticket " + ticketId + " updated to '" + lower(status) + "'.";
        }
    }

    /** The ticket already had the status asked for. */
    record TicketStatusUnchanged(String ticketId, TicketStatus status) implements ToolResult {
        @Override
        public String message() {
            return "Ticket " + ticketId + " is already " + lower(status) + ".";
        }
    }

    record TicketEscalated(String ticketId, String subject, TicketPriority priority, String responseTime)
            implements ToolResult {
        @Override
        public String message() {
            return "Ticket " + ticketId + " escalated to " + lower(priority) + " priority; we'll get back to the "
                    + "customer within " + responseTime + ".";
        }
    }

    /** The ticket is urgent already and cannot be escalated further. */
    record TicketAlreadyUrgent(String ticketId, String responseTime) implements ToolResult {
        @Override
        public String message() {
            return "Ticket " + ticketId + " is already urgent, the highest priority; we'll get back to the customer "
                    + "within " + responseTime + ".";
        }
    }

    /**
     * The ticket does not exist or belongs to another customer: the same answer for both, so ticket ids cannot be
     * probed. The id is empty when none was given.
     */
    record TicketNotFound(String ticketId) implements ToolResult {
        public TicketNotFound {
            ticketId = ticketId == null ? "" : ticketId;
        }

        @Override
        public String message() {
            return "I couldn't find ticket " + (ticketId.isEmpty() ? "(no id given)" : ticketId)
                    + " among this customer's tickets.";
        }

        @Override
        public boolean refusal() {
            return true;
        }
    }

    record FaqAnswer(String topic, String answer) implements ToolResult {
        @Override
        public String message() {
            return "The FAQ answers this under '" + topic + "'.";
        }
    }

    record FaqMiss(List<String> knownTopics) implements ToolResult {
        public FaqMiss {
            knownTopics = List.copyOf(knownTopics);
        }

        @Override
        public String message() {
            return "The FAQ has no answer for that question. Known topics: " + String.join(", ", knownTopics) + ".";
        }
    }

    record ContextSaved(String key, String value) implements ToolResult {
        @Override
        public String message() {
            return "Saved context: " + key + " = " + value;
        }
    }

    /**
     * @param customer        null while the conversation is anonymous
     * @param earlierMessages how many customer messages were answered before this one
     * @param recentExchanges the last few of them, shortened
     */
    record ConversationRecalled(String conversationId, SessionCustomer customer, long durationMinutes,
                                int earlierMessages, List<Exchange> recentExchanges, Map<String, String> context)
            implements ToolResult {
        public ConversationRecalled {
            recentExchanges = List.copyOf(recentExchanges);
            // Sorted, so the same facts always render the same text.
            context = Collections.unmodifiableSortedMap(new TreeMap<>(context));
        }

        @Override
        public String message() {
            return "Conversation " + conversationId + " with " + SessionCustomer.describe(customer) + ": "
                    + earlierMessages + " earlier messages answered, " + context.size() + " facts remembered.";
        }
    }

    /** One earlier customer message and the agent's answer. */
    record Exchange(String customer, String agent) {
    }

    /** @param customer null while the conversation is anonymous */
    record ConversationSummary(int totalMessages, int userMessages, int agentMessages, long durationMinutes,
                               List<String> topics, SessionCustomer customer) implements ToolResult {
        public ConversationSummary {
            topics = List.copyOf(topics);
        }

        @Override
        public String message() {
            return "Messages so far: " + totalMessages + ", with " + SessionCustomer.describe(customer) + "; topics: "
                    + (topics.isEmpty() ? "general inquiry" : String.join(", ", topics)) + ".";
        }
    }

    /** Who the conversation is bound to; the name is null until a look-up found it. */
    record SessionCustomer(String email, String name, boolean verified) {
        static String describe(SessionCustomer customer) {
            return customer == null ? "an anonymous customer"
                    : (customer.name() == null ? "" : customer.name() + " ") + "<" + customer.email() + ">"
                    + (customer.verified() ? " (verified)" : "");
        }
    }

    /**
     * An argument was missing or not one of its valid values; nothing was done.
     *
     * @param validValues empty when the argument was missing
     */
    record InvalidArgument(String parameter, String value, List<String> validValues) implements ToolResult {
        public InvalidArgument {
            validValues = List.copyOf(validValues);
        }

        @Override
        public String message() {
            return validValues.isEmpty()
                    ? "Please provide the " + parameter + ". Nothing was done."
                    : "Invalid " + parameter + " '" + value + "'. Valid options: " + String.join(", ", validValues)
                    + ". Nothing was changed.";
        }

        @Override
        public boolean refusal() {
            return true;
        }
    }

    private static String lower(Enum<?> value) {
        return value.name().toLowerCase(Locale.ROOT);
    }
}
