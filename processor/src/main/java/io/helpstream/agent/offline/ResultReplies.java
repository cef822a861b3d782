package io.helpstream.agent.offline;

import io.helpstream.tools.ToolNames;
import io.helpstream.tools.ToolResult.AlreadyVerified;
import io.helpstream.tools.ToolResult.ContextSaved;
import io.helpstream.tools.ToolResult.ConversationRecalled;
import io.helpstream.tools.ToolResult.ConversationSummary;
import io.helpstream.tools.ToolResult.CustomerFound;
import io.helpstream.tools.ToolResult.CustomerNotFound;
import io.helpstream.tools.ToolResult.CustomerNotIdentified;
import io.helpstream.tools.ToolResult.CustomerRemembered;
import io.helpstream.tools.ToolResult.Exchange;
import io.helpstream.tools.ToolResult.FaqAnswer;
import io.helpstream.tools.ToolResult.FaqMiss;
import io.helpstream.tools.ToolResult.InvalidArgument;
import io.helpstream.tools.ToolResult.LimitReached;
import io.helpstream.tools.ToolResult.OtherCustomerRefused;
import io.helpstream.tools.ToolResult.SessionCustomer;
import io.helpstream.tools.ToolResult.TicketAlreadyUrgent;
import io.helpstream.tools.ToolResult.TicketCreated;
import io.helpstream.tools.ToolResult.TicketEscalated;
import io.helpstream.tools.ToolResult.TicketNotFound;
import io.helpstream.tools.ToolResult.TicketStatusChanged;
import io.helpstream.tools.ToolResult.TicketStatusUnchanged;
import io.helpstream.tools.ToolResult.TicketSummary;
import io.helpstream.tools.ToolResult.VerificationCodeSent;
import io.helpstream.tools.ToolResult.VerificationFailed;
import io.helpstream.tools.ToolResult.VerificationPassed;
import io.helpstream.tools.ToolResult.VerificationRequired;
import io.helpstream.tools.ToolResult.VerificationUnavailable;
import io.helpstream.tools.ToolResult;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * What the offline model tells the customer about one tool result, written from the result's fields; the tool's own
 * message is never used, so rewording it cannot change these replies.
 */
final class ResultReplies {

    static final String SYSTEM_TROUBLE = "I'm sorry, I couldn't complete that just now because our support system is "
            + "having trouble. Please try again in a few minutes.";
    private static final DateTimeFormatter DATE =
            DateTimeFormatter.ofPattern("MMMM d, yyyy", Locale.ENGLISH).withZone(ZoneOffset.UTC);

    private ResultReplies() {
    }

    static String describe(ToolResult result) {
        if (result instanceof CustomerFound found) {
            return account(found);
        } else if (result instanceof CustomerNotFound missing) {
            return "No customer found with email " + missing.email() + ". Could you double-check the email address?";
        } else if (result instanceof OtherCustomerRefused refused) {
            return "I can only look up the account of the customer in this conversation (" + refused.boundEmail()
                    + "), not " + refused.requestedEmail() + ".";
        } else if (result instanceof CustomerNotIdentified) {
            return "No customer is identified in this conversation yet. Ask the customer for their email address "
                    + "and look them up with " + ToolNames.LOOKUP_CUSTOMER + " first.";
        } else if (result instanceof VerificationRequired) {
            return "To protect your account, I can't share account details or change tickets until you've confirmed "
                    + "that this email address is yours.";
        } else if (result instanceof VerificationCodeSent sent) {
            return "If " + sent.email() + " belongs to an account with us, I've sent a one-time code to it. Please "
                    + "type the code here; it is valid for " + sent.minutesValid() + " minutes.";
        } else if (result instanceof VerificationPassed) {
            return "Thank you, your email address is confirmed. I can help with your account and tickets now.";
        } else if (result instanceof VerificationFailed failed) {
            return failed.attemptsLeft() > 0 ? "That code isn't right. You can try " + failed.attemptsLeft()
                    + " more time" + (failed.attemptsLeft() == 1 ? "." : "s.")
                    : "That code isn't right, and no attempts are left. I can send you a new code.";
        } else if (result instanceof VerificationUnavailable unavailable) {
            return unavailable.reason().equals("none") ? "There is no code waiting to be confirmed. I can send you one."
                    : "That code can't be used any more. I can send you a new one.";
        } else if (result instanceof AlreadyVerified) {
            return "Your email address is already confirmed.";
        } else if (result instanceof CustomerRemembered remembered) {
            return "Remembered customer email " + remembered.email() + (remembered.additionalInfo().isEmpty() ? "."
                    : " and: " + remembered.additionalInfo());
        } else if (result instanceof TicketCreated created) {
            return opened(created);
        } else if (result instanceof TicketStatusChanged changed) {
            return "Ticket " + changed.ticketId() + " updated to '" + lower(changed.status()) + "'."
                    + (changed.notes().isEmpty() ? "" : "\nNotes: " + changed.notes());
        } else if (result instanceof TicketStatusUnchanged unchanged) {
            return "Ticket " + unchanged.ticketId() + " is already " + lower(unchanged.status()) + ".";
        } else if (result instanceof TicketEscalated escalated) {
            return "Ticket " + escalated.ticketId() + " (" + escalated.subject() + ") escalated to "
                    + lower(escalated.priority()) + " priority. We'll get back to you within "
                    + escalated.responseTime() + ".";
        } else if (result instanceof TicketAlreadyUrgent urgent) {
            return "Ticket " + urgent.ticketId() + " is already urgent, the highest priority; we'll get back to you "
                    + "within " + urgent.responseTime() + ".";
        } else if (result instanceof TicketNotFound missing) {
            return "I couldn't find ticket " + (missing.ticketId().isEmpty() ? "(no id given)" : missing.ticketId())
                    + " among this customer's tickets.";
        } else if (result instanceof FaqAnswer answer) {
            return answer.answer();
        } else if (result instanceof FaqMiss miss) {
            return "The FAQ has no answer for that question. Known topics: " + String.join(", ", miss.knownTopics())
                    + ".";
        } else if (result instanceof ContextSaved saved) {
            return saved.key().equals("order_number") ? "I've noted your order number " + saved.value() + "."
                    : "I've noted that (" + saved.key() + ": " + saved.value() + ").";
        } else if (result instanceof ConversationSummary summary) {
            return summary(summary);
        } else if (result instanceof ConversationRecalled recalled) {
            return recall(recalled);
        } else if (result instanceof ToolResult.HandoffRequested) {
            return "I'm passing this conversation to a member of our support team. Please stay here: they will "
                    + "reply in this conversation.";
        } else if (result instanceof ToolResult.HandoffNeedsReason) {
            return "I could not pass this conversation to our team just now.";
        } else if (result instanceof LimitReached limit) {
            return "I've done as much of that as I can for now (at most " + limit.max() + " " + limit.limit() + ").";
        } else if (result instanceof InvalidArgument invalid) {
            return invalid.validValues().isEmpty() ? "Please provide the " + invalid.parameter() + "."
                    : "Invalid " + invalid.parameter() + " '" + invalid.value() + "'. Valid options: "
                    + String.join(", ", invalid.validValues()) + ".";
        }
        throw new IllegalArgumentException("no reply for " + result.getClass().getSimpleName());
    }

    private static String opened(TicketCreated created) {
        return "I've opened a ticket for you.\nSupport ticket " + created.ticketId() + " created"
                + (created.customerName() == null ? "" : " for " + created.customerName()) + ".\n"
                + "Subject: " + created.subject() + "\n"
                + "Priority: " + lower(created.priority()) + "\n"
                + "We'll get back to you within " + created.responseTime() + ".";
    }

    private static String summary(ConversationSummary summary) {
        return "Conversation summary:\n"
                + "- Total messages: " + summary.totalMessages() + "\n"
                + "- User messages: " + summary.userMessages() + "\n"
                + "- Agent messages: " + summary.agentMessages() + "\n"
                + "- Duration: " + duration(summary.durationMinutes()) + "\n"
                + "- Topics discussed: " + (summary.topics().isEmpty() ? "general inquiry"
                : String.join(", ", summary.topics())) + "\n"
                + "- Customer: " + customer(summary.customer());
    }

    private static String account(CustomerFound found) {
        StringBuilder reply = new StringBuilder("I've pulled up your account (").append(found.tier()).append(" tier).");
        if (found.recentTickets().isEmpty()) {
            return reply.append(" You don't have any support tickets with us yet.").toString();
        }
        reply.append(" Here are your most recent tickets:");
        for (TicketSummary ticket : found.recentTickets()) {
            reply.append("\n- ").append(ticket.ticketId()).append(": ").append(ticket.subject())
                    .append(" (").append(lower(ticket.status())).append(", ").append(lower(ticket.priority()))
                    .append(" priority, created ").append(DATE.format(ticket.createdAt())).append(')');
        }
        return reply.toString();
    }

    private static String recall(ConversationRecalled recalled) {
        StringBuilder reply = new StringBuilder("Conversation ").append(recalled.conversationId()).append('\n')
                .append("Customer: ").append(customer(recalled.customer())).append('\n')
                .append("Duration: ").append(duration(recalled.durationMinutes())).append('\n')
                .append("Earlier messages answered: ").append(recalled.earlierMessages()).append('\n');
        if (!recalled.recentExchanges().isEmpty()) {
            reply.append("Recent conversation:\n");
            for (Exchange exchange : recalled.recentExchanges()) {
                reply.append("- customer: ").append(exchange.customer()).append('\n')
                        .append("- agent: ").append(exchange.agent()).append('\n');
            }
        }
        Map<String, String> context = recalled.context();
        return reply.append("Context data: ").append(context.isEmpty() ? "none" : context.entrySet().stream()
                .map(e -> e.getKey() + " = " + e.getValue()).collect(Collectors.joining(", "))).toString();
    }

    private static String customer(SessionCustomer customer) {
        return customer == null ? "anonymous" : (customer.name() == null ? "" : customer.name() + " ")
                + "<" + customer.email() + ">" + (customer.verified() ? " (verified)" : "");
    }

    private static String duration(long minutes) {
        return minutes < 1 ? "less than a minute"
                : minutes < 60 ? minutes + " min"
                : minutes / 60 + " h " + minutes % 60 + " min";
    }

    private static String lower(Enum<?> value) {
        return value.name().toLowerCase(Locale.ROOT);
    }
}
