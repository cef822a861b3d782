package io.helpstream.harness;

import io.helpstream.contract.Replies;
import io.helpstream.schema.AgentReply;
import io.helpstream.schema.TicketEvent;
import io.helpstream.schema.TicketEventType;
import java.nio.charset.StandardCharsets;
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
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Checks that the database, the ticket events and the replies tell one story, whoever wrote them and however often
 * their turns ran: every ticket row has exactly one CREATED event and every CREATED event a row; every recorded
 * change of a ticket exactly one event, and every event a recorded change; no reply names a ticket that does not
 * exist, and the reply to a message names every ticket created for it; no message opened two tickets.
 */
final class ConsistencyCheck {

    static final String TICKETS_WITHOUT_ONE_CREATED = "tickets without exactly one CREATED event";
    static final String EVENTS_WITHOUT_ROW = "CREATED events without a ticket row";
    static final String CHANGES_WITHOUT_ONE_EVENT = "ticket changes without exactly one event";
    static final String EVENTS_WITHOUT_CHANGE = "ticket events without a recorded change";
    static final String DUPLICATE_EVENTS = "duplicate ticket events";
    static final String UNKNOWN_TICKETS = "replies naming a ticket that does not exist";
    static final String OMITTED_TICKETS = "replies omitting a ticket created for their message";
    static final String TWO_TICKETS = "messages that opened more than one ticket";

    private static final Pattern TICKET = Pattern.compile("TICK-\\d+|TICK\\d{3}");

    /** A write recorded under an idempotency key of this run. */
    private record Change(String key, String messageId, String ticketId, String type) {
    }

    private ConsistencyCheck() {
    }

    static void check(Workload workload, String runId, Connection db, List<AgentReply> replies,
                      List<TicketEvent> events, Verdict verdict) throws SQLException {
        for (String invariant : List.of(TICKETS_WITHOUT_ONE_CREATED, EVENTS_WITHOUT_ROW, CHANGES_WITHOUT_ONE_EVENT,
                EVENTS_WITHOUT_CHANGE, DUPLICATE_EVENTS, UNKNOWN_TICKETS, OMITTED_TICKETS, TWO_TICKETS)) {
            verdict.invariant(invariant);
        }
        Set<String> existing = strings(db, "SELECT id FROM tickets", null);
        Set<String> ofRun = strings(db, "SELECT id FROM tickets WHERE subject LIKE ?", "%" + runId + "%");
        List<Change> changes = changes(db, runId);
        List<TicketEvent> runEvents = events.stream().filter(event -> event.getMessageId().startsWith(runId)).toList();

        Map<String, Integer> createdEvents = new HashMap<>();
        Map<String, Integer> eventsById = new HashMap<>();
        for (TicketEvent event : runEvents) {
            if (eventsById.merge(event.getEventId(), 1, Integer::sum) > 1) {
                verdict.violation(DUPLICATE_EVENTS, event.getEventId() + " (" + event.getType() + " "
                        + event.getTicketId() + ")");
            }
            if (event.getType() == TicketEventType.CREATED) {
                createdEvents.merge(event.getTicketId(), 1, Integer::sum);
                if (!existing.contains(event.getTicketId())) {
                    verdict.violation(EVENTS_WITHOUT_ROW, event.getTicketId() + " for " + event.getMessageId());
                }
            }
        }
        for (String ticket : ofRun) {
            int count = createdEvents.getOrDefault(ticket, 0);
            if (count != 1) {
                verdict.violation(TICKETS_WITHOUT_ONE_CREATED, ticket + ": " + count + " CREATED events");
            }
        }
        Set<String> changeEventIds = new HashSet<>();
        Map<String, List<String>> createdByMessage = new HashMap<>();
        for (Change change : changes) {
            String eventId = eventId(change.key());
            changeEventIds.add(eventId);
            int count = eventsById.getOrDefault(eventId, 0);
            if (count != 1) {
                verdict.violation(CHANGES_WITHOUT_ONE_EVENT, change.key() + " (" + change.type() + " "
                        + change.ticketId() + "): " + count + " events");
            }
            if ("created".equals(change.type())) {
                createdByMessage.computeIfAbsent(change.messageId(), id -> new ArrayList<>()).add(change.ticketId());
            }
        }
        runEvents.stream().filter(event -> !changeEventIds.contains(event.getEventId())).forEach(event ->
                verdict.violation(EVENTS_WITHOUT_CHANGE, event.getEventId() + " (" + event.getType() + " "
                        + event.getTicketId() + " for " + event.getMessageId() + ")"));
        createdByMessage.forEach((message, tickets) -> {
            if (tickets.size() > 1) {
                verdict.violation(TWO_TICKETS, message + ": " + tickets);
            }
        });
        checkReplies(replies, existing, createdByMessage, verdict);

        long asked = workload.ofKind(PlannedMessage.Kind.CREATE_TICKET).size();
        verdict.figure("ticket-opening messages", asked);
        verdict.figure("tickets created", ofRun.size());
        verdict.figure("ticket-opening messages without a ticket (decided otherwise)",
                workload.ofKind(PlannedMessage.Kind.CREATE_TICKET).stream()
                        .filter(message -> !createdByMessage.containsKey(message.messageId())).count());
        verdict.figure("ticket changes recorded", changes.size());
        verdict.figure("ticket events read (read_committed)", runEvents.size());
    }

    private static void checkReplies(List<AgentReply> replies, Set<String> existing,
                                     Map<String, List<String>> createdByMessage, Verdict verdict) {
        for (AgentReply reply : replies) {
            Set<String> named = new HashSet<>();
            Matcher ticket = TICKET.matcher(reply.getText());
            while (ticket.find()) {
                named.add(ticket.group());
            }
            named.stream().filter(id -> !existing.contains(id)).forEach(id ->
                    verdict.violation(UNKNOWN_TICKETS, reply.getInReplyTo() + " names " + id));
            // Messages answered together share the first one's keys: its tickets belong to the reply.
            String first = Replies.answered(reply).get(0);
            for (String created : createdByMessage.getOrDefault(first, List.of())) {
                if (!named.contains(created)) {
                    verdict.violation(OMITTED_TICKETS, first + " opened " + created + "; its reply: "
                            + reply.getText().replace('\n', ' '));
                }
            }
        }
    }

    /** The event id a write publishes: derived from its idempotency key, as the processor derives it. */
    static String eventId(String idempotencyKey) {
        return UUID.nameUUIDFromBytes(idempotencyKey.getBytes(StandardCharsets.UTF_8)).toString();
    }

    private static List<Change> changes(Connection db, String runId) throws SQLException {
        List<Change> changes = new ArrayList<>();
        try (PreparedStatement query = db.prepareStatement("SELECT key, ticket_id, event_type FROM tool_idempotency"
                + " WHERE key LIKE ? AND changed")) {
            query.setString(1, runId + "%");
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    String key = rows.getString(1);
                    changes.add(new Change(key, key.substring(0, key.indexOf('/')), rows.getString(2),
                            rows.getString(3)));
                }
            }
        }
        return changes;
    }

    private static Set<String> strings(Connection db, String sql, String parameter) throws SQLException {
        Set<String> values = new HashSet<>();
        try (PreparedStatement query = db.prepareStatement(sql)) {
            if (parameter != null) {
                query.setString(1, parameter);
            }
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    values.add(rows.getString(1));
                }
            }
        }
        return values;
    }
}
