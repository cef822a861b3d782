package io.helpstream.tickets.postgres;

import io.helpstream.schema.TicketPriority;
import io.helpstream.schema.TicketStatus;
import java.util.Locale;

/** The database spells statuses and priorities as the lowercase names of the Avro enums ({@code in_progress}). */
final class TicketCodes {

    private TicketCodes() {
    }

    static String code(TicketStatus status) {
        return status.name().toLowerCase(Locale.ROOT);
    }

    static String code(TicketPriority priority) {
        return priority.name().toLowerCase(Locale.ROOT);
    }

    static TicketStatus status(String code) {
        return TicketStatus.valueOf(code.toUpperCase(Locale.ROOT));
    }

    static TicketPriority priority(String code) {
        return TicketPriority.valueOf(code.toUpperCase(Locale.ROOT));
    }

    /** One level up; urgent stays urgent. */
    static TicketPriority raised(TicketPriority priority) {
        TicketPriority[] levels = TicketPriority.values();
        return levels[Math.min(priority.ordinal() + 1, levels.length - 1)];
    }
}
