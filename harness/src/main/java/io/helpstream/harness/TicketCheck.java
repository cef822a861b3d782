package io.helpstream.harness;

import io.helpstream.harness.PlannedMessage.Kind;
import io.helpstream.schema.TicketEvent;
import io.helpstream.schema.TicketEventType;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Checks the ticket writes in PostgreSQL against the workload and the ticket events: one ticket (found by the
 * message's tag in its subject), one recorded idempotency key and one CREATED event per ticket-creating message; one
 * recorded write and one note per ticket-updating message; no write for any other message; no event id twice.
 */
final class TicketCheck {

    static final String TICKETS = "ticket-creating messages without exactly one ticket";
    static final String CREATED_EVENTS = "ticket-creating messages without exactly one CREATED event";
    static final String UPDATES = "ticket-updating messages without exactly one write";
    static final String STRAY_WRITES = "writes by messages that should not write";
    static final String DUPLICATE_EVENTS = "duplicate ticket events";

    private TicketCheck() {
    }

    static void check(Workload workload, String runId, Connection db, List<TicketEvent> events, Verdict verdict)
            throws SQLException {
        for (String invariant : List.of(TICKETS, CREATED_EVENTS, UPDATES, STRAY_WRITES, DUPLICATE_EVENTS)) {
            verdict.invariant(invariant);
        }
        Pattern tag = Pattern.compile(Pattern.quote(runId) + "-c\\d+-m\\d+");
        Map<String, List<String>> ticketsByTag = tagged(db, "SELECT id, subject FROM tickets WHERE subject LIKE ?",
                runId, tag);
        Map<String, List<String>> notesByTag = tagged(db,
                "SELECT ticket_id, note FROM ticket_notes WHERE note LIKE ?", runId, tag);
        Map<String, List<String>> keysByMessage = idempotencyKeys(db, runId);
        Map<String, List<TicketEvent>> createdByMessage = new HashMap<>();
        Set<String> eventIds = new HashSet<>();
        for (TicketEvent event : events) {
            if (!eventIds.add(event.getEventId())) {
                verdict.violation(DUPLICATE_EVENTS, event.getEventId() + " (" + event.getType() + " "
                        + event.getTicketId() + ")");
            }
            if (event.getType() == TicketEventType.CREATED) {
                createdByMessage.computeIfAbsent(event.getMessageId(), id -> new ArrayList<>()).add(event);
            }
        }

        int found = 0;
        for (PlannedMessage message : workload.messages()) {
            String id = message.messageId();
            List<String> tickets = ticketsByTag.getOrDefault(id, List.of());
            List<String> keys = keysByMessage.getOrDefault(id, List.of());
            List<TicketEvent> created = createdByMessage.getOrDefault(id, List.of());
            if (message.kind() == Kind.CREATE_TICKET) {
                found += tickets.size();
                if (tickets.size() != 1 || keys.size() != 1) {
                    verdict.violation(TICKETS, id + ": tickets " + tickets + ", keys " + keys);
                }
                if (created.size() != 1
                        || tickets.size() == 1 && !tickets.get(0).equals(created.get(0).getTicketId())) {
                    verdict.violation(CREATED_EVENTS, id + ": tickets " + tickets + ", CREATED events for "
                            + created.stream().map(TicketEvent::getTicketId).toList());
                }
            } else if (message.kind() == Kind.UPDATE_TICKET) {
                List<String> notes = notesByTag.getOrDefault(id, List.of());
                if (keys.size() != 1 || notes.size() != 1) {
                    verdict.violation(UPDATES, id + ": keys " + keys + ", notes on " + notes);
                }
            } else if (!tickets.isEmpty() || !keys.isEmpty() || !created.isEmpty()) {
                verdict.violation(STRAY_WRITES, id + ": tickets " + tickets + ", keys " + keys);
            }
        }
        verdict.figure("tickets expected", workload.ofKind(Kind.CREATE_TICKET).size());
        verdict.figure("tickets found", found);
        verdict.figure("ticket updates expected", workload.ofKind(Kind.UPDATE_TICKET).size());
        verdict.figure("ticket events read (read_committed)", events.size());
    }

    /** Row ids (first column) by the tag found in the text (second column), for rows whose text has the run id. */
    private static Map<String, List<String>> tagged(Connection db, String sql, String runId, Pattern tag)
            throws SQLException {
        Map<String, List<String>> byTag = new HashMap<>();
        try (PreparedStatement query = db.prepareStatement(sql)) {
            query.setString(1, "%" + runId + "%");
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    Matcher matcher = tag.matcher(rows.getString(2));
                    if (matcher.find()) {
                        byTag.computeIfAbsent(matcher.group(), key -> new ArrayList<>()).add(rows.getString(1));
                    }
                }
            }
        }
        return byTag;
    }

    /** Idempotency keys ({@code <messageId>/<conversation tag>/<tool>/<n>}) by message id. */
    private static Map<String, List<String>> idempotencyKeys(Connection db, String runId) throws SQLException {
        Map<String, List<String>> byMessage = new HashMap<>();
        try (PreparedStatement query = db.prepareStatement("SELECT key FROM tool_idempotency WHERE key LIKE ?")) {
            query.setString(1, runId + "%");
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    String key = rows.getString(1);
                    byMessage.computeIfAbsent(key.substring(0, key.indexOf('/')), id -> new ArrayList<>()).add(key);
                }
            }
        }
        return byMessage;
    }
}
