package io.helpstream.tools;

import io.helpstream.schema.TicketPriority;
import io.helpstream.schema.TicketStatus;
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
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** At least one result of every kind, with nulls and empty collections where a kind allows them. */
public final class ToolResultSamples {

    private static final Instant SINCE = Instant.parse("2024-01-15T10:00:00Z");

    private ToolResultSamples() {
    }

    public static List<ToolResult> all() {
        return List.of(
                new CustomerFound("CUST001", "John Doe", "john@example.com", "+1234567890", "premium", SINCE,
                        Instant.parse("2024-06-01T10:00:12.345Z"), List.of(
                        new TicketSummary("TICK-001001", "Help with \"my\" laptop\n", TicketStatus.IN_PROGRESS,
                                TicketPriority.URGENT, SINCE),
                        new TicketSummary("TICK001", "Laptop not charging", TicketStatus.OPEN, TicketPriority.HIGH,
                                SINCE))),
                new CustomerFound("CUST003", "Bob Johnson", "bob@example.com", null, "enterprise", SINCE, null,
                        List.of()),
                new CustomerNotFound("nobody@example.com"),
                new OtherCustomerRefused("john@example.com", "jane@example.com"),
                new CustomerNotIdentified(),
                new CustomerRemembered("jane@example.com", "prefers email"),
                new CustomerRemembered("jane@example.com", ""),
                new TicketCreated("TICK-000004", "John Doe", "Help with my laptop", TicketPriority.MEDIUM, "24 hours"),
                new TicketCreated("TICK-000005", null, "Cannot log in", TicketPriority.LOW, "48 hours"),
                new TicketStatusChanged("TICK002", TicketStatus.RESOLVED, "The refund has arrived"),
                new TicketStatusChanged("TICK002", TicketStatus.CLOSED, ""),
                new TicketStatusUnchanged("TICK002", TicketStatus.CLOSED),
                new TicketEscalated("TICK001", "Laptop not charging", TicketPriority.URGENT, "1 hour"),
                new TicketAlreadyUrgent("TICK001", "1 hour"),
                new TicketNotFound("TICK002"),
                new TicketNotFound(""),
                new FaqAnswer("return policy", "You can return items within 30 days of purchase for a full refund."),
                new FaqMiss(List.of("return policy", "warranty")),
                new ContextSaved("order_number", "#12345"),
                new ContextSaved("colour", "blue"),
                new ConversationRecalled("conv-1", new SessionCustomer("john@example.com", "John Doe", true), 75, 2,
                        List.of(new Exchange("Where is my order?", "Let me check.")),
                        Map.of("order_number", "#12345", "additional_info", "prefers email")),
                new ConversationRecalled("conv-2", null, 0, 0, List.of(), Map.of()),
                new ConversationSummary(5, 3, 2, 12, List.of("order", "refund"),
                        new SessionCustomer("john@example.com", null, false)),
                new ConversationSummary(1, 1, 0, 0, List.of(), null),
                new InvalidArgument("priority", "critical", List.of("low", "medium", "high", "urgent")),
                new InvalidArgument("email", null, List.of()),
                new LimitReached("ticket writes per message", 5),
                new ToolResult.VerificationRequired("jane@example.com"),
                new ToolResult.VerificationCodeSent("jane@example.com", 10),
                new ToolResult.VerificationPassed("jane@example.com"),
                new ToolResult.VerificationFailed(3),
                new ToolResult.VerificationUnavailable("expired"),
                new ToolResult.AlreadyVerified("jane@example.com"),
                new ToolResult.HandoffRequested("the customer asked for a person"),
                new ToolResult.HandoffNeedsReason());
    }
}
