package io.helpstream.conversation;

import io.helpstream.fencing.Fence;
import io.helpstream.turn.TurnExecutor;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The fence one life of a task writes under. It is claimed when the life begins, off the stream thread, and no turn
 * starts before it is held: the new owner's epoch is in the database before anything an earlier owner left unanswered
 * is resumed, so no turn of that owner can write from then on. A claim that fails (the database is away) is tried
 * again with a growing backoff while messages wait. The fence is revoked when the life ends. Once a turn learns that a
 * newer owner claimed the task, this life starts no more turns: Kafka Streams is about to take the task away.
 *
 * <p>Used on the stream thread only.
 */
final class Ownership {

    private static final Logger log = LoggerFactory.getLogger(Ownership.class);
    private static final Duration FIRST_RETRY = Duration.ofSeconds(1);
    private static final Duration LAST_RETRY = Duration.ofSeconds(30);

    private final TurnExecutor turns;
    private final String scope;
    private CompletableFuture<Fence> claim;
    private Fence fence;
    private boolean superseded;
    private long retryAt;
    private Duration backoff = FIRST_RETRY;

    /** @param scope the task's: {@code <application id>/<task id>} */
    Ownership(TurnExecutor turns, String scope) {
        this.turns = turns;
        this.scope = scope;
    }

    /** Starts the claim. */
    void claim() {
        claim = turns.claimFence(scope);
    }

    /**
     * The fence once it is held; empty while it is being claimed, after a failed claim (tried again at its time) and
     * once a newer owner has claimed the task.
     */
    Optional<Fence> fence(long now) {
        if (superseded) {
            return Optional.empty();
        }
        if (fence != null) {
            return Optional.of(fence);
        }
        if (claim == null) {
            if (now >= retryAt) {
                claim();
            }
            return Optional.empty();
        }
        if (!claim.isDone()) {
            return Optional.empty();
        }
        try {
            fence = claim.join();
            log.info("Task {} claimed epoch {}; its turns write under it", scope, fence.epoch());
            return Optional.of(fence);
        } catch (CompletionException | java.util.concurrent.CancellationException e) {
            log.warn("Task {} could not claim its fence ({}); its turns wait, trying again in {}", scope,
                    e.getCause() == null ? e : e.getCause().toString(), backoff);
            claim = null;
            retryAt = now + backoff.toMillis();
            backoff = backoff.multipliedBy(2).compareTo(LAST_RETRY) > 0 ? LAST_RETRY : backoff.multipliedBy(2);
            return Optional.empty();
        }
    }

    /** A turn was refused because a newer owner claimed the task: start no more turns in this life. */
    void superseded() {
        if (!superseded) {
            log.warn("Task {}: a newer owner claimed it (this life holds {}); starting no more turns here", scope,
                    fence);
        }
        superseded = true;
    }

    /** The life ends: its fence, and the one still being claimed, are revoked. */
    void release() {
        superseded = true;
        if (fence != null) {
            fence.revoke();
        }
        if (claim != null) {
            claim.thenAccept(Fence::revoke);
        }
    }
}
