package io.helpstream.conversation;

import io.helpstream.protection.Redaction;
import java.util.LinkedHashMap;
import org.apache.kafka.streams.errors.TaskMigratedException;
import java.util.Map;
import java.util.Optional;

/**
 * How often applying a message's finished turn failed in this instance. A failed apply fails the task and aborts its
 * transaction; the task is then recreated (on the same or a replaced stream thread), so the count lives outside the
 * processor, shared by all tasks of the topology. It is forgotten once the message is applied, and bounded: the
 * oldest entries go first.
 */
final class ApplyFailures {

    /**
     * Failed applies of one message before it is answered with the apology and dead-lettered. One: the first failure
     * aborts its transaction; a second attempt on the stream thread that replaced the failed one was seen committing
     * its half-applied reply (Kafka Streams 4.3.1), so no message is given a second try (RELIABILITY.md).
     */
    static final int ALLOWED = 1;

    /** Messages whose failures are remembered at once; more than a few means something far worse is wrong. */
    static final int REMEMBERED = 10_000;

    /** The failures so far of one message, and the last one's description (as dead-letter reasons may show it). */
    record Failures(int count, String lastReason) {
    }

    private final Map<String, Failures> byMessage = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Failures> eldest) {
            return size() > REMEMBERED;
        }
    };

    /**
     * True when the failure says nothing about the message: the task was taken away from this instance while the turn
     * was applied (its producer fenced, a rebalance it missed). The transaction aborts as for any failure, but the
     * message is the new owner's to answer, and this instance may own it again later: it is not counted.
     */
    static boolean migrated(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof TaskMigratedException) {
                return true;
            }
        }
        return false;
    }

    synchronized Failures record(String conversationId, String messageId, Throwable failure) {
        Failures before = byMessage.get(key(conversationId, messageId));
        Failures after = new Failures(before == null ? 1 : before.count() + 1, Redaction.describe(failure));
        byMessage.put(key(conversationId, messageId), after);
        return after;
    }

    synchronized Optional<Failures> of(String conversationId, String messageId) {
        return Optional.ofNullable(byMessage.get(key(conversationId, messageId)));
    }

    synchronized void forget(String conversationId, String messageId) {
        byMessage.remove(key(conversationId, messageId));
    }

    private static String key(String conversationId, String messageId) {
        return conversationId + '\u0000' + messageId;
    }
}
