package io.helpstream.desk;

import io.helpstream.live.Subscribers;
import io.helpstream.schema.ConversationMode;
import io.helpstream.schema.HandoffEvent;
import io.helpstream.schema.HandoffEventType;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The conversations handed off to a human and not given back, folded from the events of {@code support.handoffs}: a
 * conversation enters with an event that leaves it waiting for a human or with one, and leaves with one that gives it
 * back to the bot (released, ended, timed out back to the bot). At most {@code maxCases} are kept: the ones that
 * waited longest, so that a flood of new handoffs does not push out those waiting; one more is counted in
 * {@link #leftOut()}, not shown. Each keeps its newest {@code maxTimeline} events. Every event read, kept or not, is
 * told to the subscribers (a desk page shows a rejected action even for a conversation no longer handed off).
 */
public final class HandoffView {

    private final int maxCases;
    private final int maxTimeline;
    private final Map<String, OpenCase> open = new LinkedHashMap<>();
    private final Subscribers<HandoffEvent> subscribers = new Subscribers<>();
    private long leftOut;

    public HandoffView(int maxCases, int maxTimeline) {
        if (maxCases < 1 || maxTimeline < 1) {
            throw new IllegalArgumentException("maxCases and maxTimeline must be at least 1");
        }
        this.maxCases = maxCases;
        this.maxTimeline = maxTimeline;
    }

    /** Folds one event in, then tells the subscribers. */
    public void apply(HandoffEvent event) {
        synchronized (this) {
            fold(event);
        }
        subscribers.tell(event);
    }

    private void fold(HandoffEvent event) {
        String id = event.getConversationId();
        boolean handedOff = event.getMode() != ConversationMode.BOT && event.getType() != HandoffEventType.ENDED;
        OpenCase found = open.get(id);
        if (!handedOff) {
            open.remove(id);
            return;
        }
        if (found == null) {
            if (open.size() >= maxCases) {
                leftOut++;
                return;
            }
            found = new OpenCase(id);
            open.put(id, found);
        }
        found.apply(event, maxTimeline);
    }

    /** The open handoffs, those waiting longest first, without their timelines. */
    public synchronized List<HandoffCase> cases() {
        return open.values().stream().map(c -> c.snapshot().summaryOnly())
                .sorted(Comparator.comparing(HandoffCase::requestedAt, Comparator.nullsLast(Comparator.naturalOrder()))
                        .thenComparing(HandoffCase::conversationId))
                .toList();
    }

    /** One open handoff with its timeline. */
    public synchronized Optional<HandoffCase> find(String conversationId) {
        return Optional.ofNullable(open.get(conversationId)).map(OpenCase::snapshot);
    }

    /** Handoffs not kept because the view was full. */
    public synchronized long leftOut() {
        return leftOut;
    }

    public Subscribers<HandoffEvent> subscribers() {
        return subscribers;
    }

    /** A case as the events so far left it; only touched under the view's lock. */
    private static final class OpenCase {
        private final String conversationId;
        private final Deque<HandoffCase.Entry> timeline = new ArrayDeque<>();
        private long dropped;
        private HandoffEvent latest;
        private HandoffEvent requested;

        OpenCase(String conversationId) {
            this.conversationId = conversationId;
        }

        void apply(HandoffEvent event, int maxTimeline) {
            latest = event;
            if (event.getType() == HandoffEventType.REQUESTED || requested == null) {
                requested = event;
            }
            timeline.addLast(new HandoffCase.Entry(event.getEventId(), event.getType().name(), event.getAt(),
                    event.getAgentId(), event.getActionId(), event.getMessageId(), event.getText(),
                    event.getReason()));
            while (timeline.size() > maxTimeline) {
                timeline.removeFirst();
                dropped++;
            }
        }

        HandoffCase snapshot() {
            Instant requestedAt = latest.getRequestedAt() != null ? latest.getRequestedAt()
                    : requested.getRequestedAt() != null ? requested.getRequestedAt() : requested.getAt();
            return new HandoffCase(conversationId, latest.getMode().name(), requestedAt,
                    name(first(latest.getTrigger(), requested.getTrigger())),
                    requested.getReason(), requested.getSummary(),
                    name(first(requested.getPriority(), latest.getPriority())),
                    first(latest.getCustomerId(), requested.getCustomerId()),
                    first(latest.getCustomerEmail(), requested.getCustomerEmail()),
                    latest.getTrust().name(),
                    requested.getOpenTickets().isEmpty() ? latest.getOpenTickets() : requested.getOpenTickets(),
                    latest.getMode() == ConversationMode.HUMAN ? holder() : null, latest.getAt(),
                    List.copyOf(timeline), dropped);
        }

        /** The agent who accepted last; an action rejected for another agent does not change who holds it. */
        private String holder() {
            return timeline.stream().filter(e -> e.type().equals(HandoffEventType.ACCEPTED.name()))
                    .reduce((a, b) -> b).map(HandoffCase.Entry::agentId).orElse(latest.getAgentId());
        }

        private static <T> T first(T a, T b) {
            return a != null ? a : b;
        }

        private static String name(Enum<?> value) {
            return value == null ? null : value.name();
        }
    }
}
