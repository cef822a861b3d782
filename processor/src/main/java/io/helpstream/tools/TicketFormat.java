package io.helpstream.tools;

import io.helpstream.schema.TicketPriority;
import io.helpstream.schema.TicketStatus;
import io.helpstream.tickets.Ticket;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/** How tickets, statuses and priorities are written for the model, and read back from what it sends. */
final class TicketFormat {

    private static final DateTimeFormatter DATE =
            DateTimeFormatter.ofPattern("MMMM d, yyyy", Locale.ENGLISH).withZone(ZoneOffset.UTC);

    private TicketFormat() {
    }

    static String line(Ticket ticket) {
        return "- " + ticket.id() + ": " + ticket.subject() + " (" + name(ticket.status()) + ", "
                + name(ticket.priority()) + " priority, created " + date(ticket.createdAt()) + ")";
    }

    static String date(Instant instant) {
        return DATE.format(instant);
    }

    /** The response time the seed promises for each priority. */
    static String responseTime(TicketPriority priority) {
        return switch (priority) {
            case URGENT -> "1 hour";
            case HIGH -> "4 hours";
            case MEDIUM -> "24 hours";
            case LOW -> "48 hours";
        };
    }

    static String name(Enum<?> value) {
        return value.name().toLowerCase(Locale.ROOT);
    }

    static Optional<TicketPriority> priority(String text) {
        return parse(TicketPriority.class, text);
    }

    static Optional<TicketStatus> status(String text) {
        return parse(TicketStatus.class, text);
    }

    static String validValues(Class<? extends Enum<?>> type) {
        return Arrays.stream(type.getEnumConstants()).map(TicketFormat::name).collect(Collectors.joining(", "));
    }

    static String ticketId(String text) {
        return text == null ? "" : text.strip().toUpperCase(Locale.ROOT);
    }

    private static <E extends Enum<E>> Optional<E> parse(Class<E> type, String text) {
        if (text == null) {
            return Optional.empty();
        }
        // Models write "In Progress", "in-progress" or "IN_PROGRESS" for the same thing.
        String normalized = text.strip().replace(' ', '_').replace('-', '_').toUpperCase(Locale.ROOT);
        return Arrays.stream(type.getEnumConstants()).filter(e -> e.name().equals(normalized)).findFirst();
    }
}
