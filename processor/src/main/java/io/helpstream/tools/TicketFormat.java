package io.helpstream.tools;

import io.helpstream.schema.TicketPriority;
import io.helpstream.schema.TicketStatus;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** How the ticket tools read what the model sends, and the response time they promise. */
final class TicketFormat {

    private TicketFormat() {
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

    static Optional<TicketPriority> priority(String text) {
        return parse(TicketPriority.class, text);
    }

    static Optional<TicketStatus> status(String text) {
        return parse(TicketStatus.class, text);
    }

    static List<String> validValues(Class<? extends Enum<?>> type) {
        return Arrays.stream(type.getEnumConstants()).map(e -> e.name().toLowerCase(Locale.ROOT)).toList();
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
