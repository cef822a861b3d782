package io.helpstream.conversation;

import io.helpstream.conversation.ConversationStore.Due;
import io.helpstream.conversation.ConversationStore.Loaded;
import io.helpstream.conversation.ConversationStore.Unreadable;
import io.helpstream.schema.ConversationMeta;
import io.micrometer.core.instrument.Counter;
import java.util.List;
import java.util.function.LongSupplier;
import org.apache.kafka.streams.processor.Cancellable;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ends a task's idle conversations through the expiry index, on the stream thread. Each step looks at the entries
 * due now, earliest first, and stops at whichever comes first: {@link ConversationSettings#expiryBatch()} entries,
 * or {@link ConversationSettings#expiryStepTime()} spent (after at least one entry, so that every step makes
 * progress). Whatever a step leaves is worked through by a catch-up punctuator, a step per apply interval, so a
 * backlog of a million conversations never holds the stream thread for long at a time and other conversations'
 * turns are applied between the steps.
 *
 * <p>An idle conversation ends: a {@code ConversationEnded} record and its records removed. One that was active
 * since its entry was written is indexed again at its new deadline; one that waits for an answer is looked at again
 * a whole idle timeout later, and given a turn if none runs (a turn lost on the way). A conversation waiting for a
 * human is indexed at its handoff deadline as well; when that is due, the timeout policy applies
 * ({@link HandoffSteps#timeOut}).
 */
final class ExpiryScan {

    private static final Logger log = LoggerFactory.getLogger(ExpiryScan.class);

    /** What the scan needs of the processor that owns the conversations. */
    interface Owner {
        /** True while the conversation has a turn running, retrying or waiting for a slot. */
        boolean busy(String id);

        /** The conversation's meta cannot be read: dead-letter what it holds and remove it. */
        void restart(String id, Unreadable unreadable, long now);

        /** The conversation has a pending message and no turn: give it one. */
        void resume(String id);

        /** Called after each step, to start the turns it asked for. */
        void afterStep();
    }

    private final ConversationSettings settings;
    private final ConversationStore store;
    private final ProcessorContext<String, Object> context;
    private final Owner owner;
    private final HandoffSteps handoffs;
    private final Counter ended;
    private final PunctuationTimer steps;
    private final LongSupplier nanoTime;
    /** The catch-up punctuator while a backlog is worked through; null otherwise. */
    private Cancellable catchingUp;
    /** Conversations ended, and steps taken, since the backlog began (for one log line when it is done). */
    private long endedInBacklog;
    private long stepsInBacklog;

    ExpiryScan(ConversationSettings settings, ConversationStore store, ProcessorContext<String, Object> context,
               Owner owner, HandoffSteps handoffs, Counter ended, PunctuationTimer steps,
               LongSupplier nanoTime) {
        this.settings = settings;
        this.store = store;
        this.context = context;
        this.owner = owner;
        this.handoffs = handoffs;
        this.ended = ended;
        this.steps = steps;
        this.nanoTime = nanoTime;
    }

    /** One step of the scan, timed; the scheduled scan and the catch-up punctuator both run it. */
    void step() {
        steps.record(context.taskId().toString(), this::expireDue);
        owner.afterStep();
    }

    private void expireDue() {
        long now = context.currentSystemTimeMs();
        long stopAt = nanoTime.getAsLong() + settings.expiryStepTime().toNanos();
        List<Due> due = store.due(now, settings.expiryBatch());
        int looked = 0;
        int endedNow = 0;
        for (Due entry : due) {
            if (looked > 0 && nanoTime.getAsLong() >= stopAt) {
                // Out of time: this entry and the rest stay in the index for the next step.
                store.rewindExpiry(entry.deadline());
                break;
            }
            looked++;
            if (expire(entry, now)) {
                endedNow++;
            }
        }
        if (endedNow > 0) {
            ended.increment(endedNow);
        }
        endedInBacklog += endedNow;
        stepsInBacklog++;
        boolean backlog = looked < due.size() || due.size() >= settings.expiryBatch();
        if (backlog && catchingUp == null) {
            catchingUp = context.schedule(settings.applyInterval(), PunctuationType.WALL_CLOCK_TIME,
                    ignored -> step());
        } else if (!backlog) {
            if (catchingUp != null) {
                catchingUp.cancel();
                catchingUp = null;
            }
            if (endedInBacklog > 0) {
                log.info("Ended {} idle conversations in {} expiry steps", endedInBacklog, stepsInBacklog);
            }
            endedInBacklog = 0;
            stepsInBacklog = 0;
        }
    }

    /** Looks at one due entry; true when its conversation ended. */
    private boolean expire(Due entry, long now) {
        String id = entry.conversationId();
        store.unindex(entry);
        Loaded loaded = store.load(id);
        if (loaded.unreadable() != null) {
            owner.restart(id, loaded.unreadable(), now);
            return false;
        }
        ConversationMeta conversation = loaded.meta();
        if (conversation == null) {
            return false;
        }
        boolean returned = false;
        if (Handoffs.timedOut(conversation, now)) {
            conversation = handoffs.timeOut(context, store, conversation, now);
            returned = !Handoffs.handedOff(conversation);
        }
        boolean busy = owner.busy(id);
        // A handed-off conversation's messages wait for a human, not for a turn: it ends when nothing happened in it.
        boolean handedOff = Handoffs.handedOff(conversation);
        boolean idle = handedOff ? now >= Conversations.idleDeadline(conversation, settings.idleTimeout())
                : Conversations.idle(conversation, now, settings.idleTimeout());
        if (!busy && idle) {
            context.forward(new Record<>(id, Conversations.ended(conversation, now), now),
                    ConversationTopology.CONVERSATION_EVENTS);
            HandoffSteps.endedIdle(context, store, conversation, now);
            store.delete(conversation, settings.historyWindow());
            return true;
        }
        if (busy || conversation.getPendingCount() > 0 && !handedOff) {
            if (!busy) {
                // Back with the bot after a timeout, or the safety net: a pending message and no turn (one lost on
                // the way) gets a turn.
                if (!returned) {
                    log.warn("Conversation {} had an unanswered message and no turn; starting one", id);
                }
                owner.resume(id);
            }
            // Waiting for an answer is not idleness: look again a whole timeout later.
            store.index(now + settings.idleTimeout().toMillis(), id);
        } else {
            store.index(Conversations.idleDeadline(conversation, settings.idleTimeout()), id);
        }
        return false;
    }
}
