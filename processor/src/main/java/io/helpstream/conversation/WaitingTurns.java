package io.helpstream.conversation;

import io.helpstream.turn.TurnExecutor;
import io.helpstream.turn.TurnLine;
import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The conversations of one life of a task that wait for a turn slot, oldest first, each with its ticket in the
 * instance's line, and the task's place in that line, kept told of the oldest ticket here. A conversation's records
 * are read only when it gets a slot, so a waiting one costs no memory beyond its id.
 *
 * @param <S> how each conversation's turn is to be started
 */
final class WaitingTurns<S> {

    /** A waiting conversation: how its turn starts, and since when it waits (its ticket). */
    record Waiting<S>(S start, long ticket) {
    }

    private final TurnExecutor turns;
    private final TurnLine.Place place;
    private final Map<String, Waiting<S>> waiting = new LinkedHashMap<>();

    /** @param reportEvery how often the task tells the line (its apply interval) */
    WaitingTurns(TurnExecutor turns, Duration reportEvery) {
        this.turns = turns;
        this.place = turns.place(reportEvery);
    }

    /** Puts the conversation in line with a new ticket; one already waiting keeps its place. */
    void put(String id, S start) {
        put(id, start, turns.ticket());
    }

    /** Puts the conversation in line with a ticket it took before; one already waiting keeps its place. */
    void put(String id, S start, long ticket) {
        Waiting<S> earlier = waiting.get(id);
        waiting.put(id, new Waiting<>(start, earlier == null ? ticket : earlier.ticket()));
    }

    boolean containsKey(String id) {
        return waiting.containsKey(id);
    }

    boolean isEmpty() {
        return waiting.isEmpty();
    }

    void clear() {
        waiting.clear();
        place.none();
    }

    /** The waiting conversations, oldest first; the iterator removes. */
    Iterator<Map.Entry<String, Waiting<S>>> oldestFirst() {
        return waiting.entrySet().iterator();
    }

    TurnLine.Place place() {
        return place;
    }

    /** Tells the line the oldest ticket here, or none when nothing waits or nothing can start ({@code canStart}). */
    void report(boolean canStart) {
        if (!canStart || waiting.isEmpty()) {
            place.none();
        } else {
            place.waiting(waiting.values().iterator().next().ticket());
        }
    }

    /** The life ends: its place leaves the line. */
    void close() {
        waiting.clear();
        place.close();
    }
}
