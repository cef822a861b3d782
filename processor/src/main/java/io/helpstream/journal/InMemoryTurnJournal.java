package io.helpstream.journal;

import io.helpstream.fencing.Fence;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A journal in this process's memory: it survives no crash, so a rerun after one asks the model again. For tests and
 * runs without a database; its writes check only the fence's revocation in this process.
 */
public final class InMemoryTurnJournal implements TurnJournal {

    private record Recorded(JournalEntry entry, Instant at) {
    }

    private final Clock clock;
    private final Map<MessageRef, TreeMap<Integer, Recorded>> steps = new ConcurrentHashMap<>();
    private final Map<MessageRef, Instant> answeredAt = new ConcurrentHashMap<>();

    public InMemoryTurnJournal(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public List<JournalEntry> recorded(String conversationId, String messageId) {
        TreeMap<Integer, Recorded> turn = steps.get(new MessageRef(conversationId, messageId));
        if (turn == null) {
            return List.of();
        }
        synchronized (turn) {
            return turn.values().stream().map(Recorded::entry).toList();
        }
    }

    @Override
    public void record(JournalEntry entry, Fence fence) {
        fence.check();
        MessageRef ref = new MessageRef(entry.conversationId(), entry.messageId());
        TreeMap<Integer, Recorded> turn = steps.computeIfAbsent(ref, key -> new TreeMap<>());
        synchronized (turn) {
            turn.put(entry.step(), new Recorded(entry, clock.instant()));
        }
        answeredAt.remove(ref);
    }

    @Override
    public void forgetFrom(String conversationId, String messageId, int step, Fence fence) {
        fence.check();
        TreeMap<Integer, Recorded> turn = steps.get(new MessageRef(conversationId, messageId));
        if (turn != null) {
            synchronized (turn) {
                turn.tailMap(step, true).clear();
            }
        }
    }

    @Override
    public void answered(Collection<MessageRef> messages) {
        Instant now = clock.instant();
        messages.stream().filter(steps::containsKey).forEach(ref -> answeredAt.put(ref, now));
    }

    @Override
    public int removeOld(Duration retention, Duration maxAge) {
        Instant now = clock.instant();
        int removed = 0;
        for (Map.Entry<MessageRef, TreeMap<Integer, Recorded>> turn : steps.entrySet()) {
            Instant answered = answeredAt.get(turn.getKey());
            boolean due = answered != null && !answered.plus(retention).isAfter(now);
            synchronized (turn.getValue()) {
                if (due) {
                    removed += turn.getValue().size();
                    turn.getValue().clear();
                } else {
                    int before = turn.getValue().size();
                    turn.getValue().values().removeIf(step -> !step.at().plus(maxAge).isAfter(now));
                    removed += before - turn.getValue().size();
                }
            }
            if (turn.getValue().isEmpty()) {
                steps.remove(turn.getKey());
                answeredAt.remove(turn.getKey());
            }
        }
        return removed;
    }
}
