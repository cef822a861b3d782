package io.helpstream.fencing;

import java.util.Objects;

/**
 * The right to write for one stream task: its scope (application and task), the epoch its owner claimed, and whether
 * it was revoked in this process. A task's life holds one fence; each turn it starts carries an {@link #attempt()} of
 * it, which can be revoked alone (the turn ran past its deadline) and is revoked with its parent (the task closed).
 *
 * <p>Revocation is the cooperative half: a turn that checks before each write stops on its own. The other half is the
 * epoch, which the database checks inside every write: a newer owner claimed a higher one, so a turn that cannot be
 * told (its process was paused, or is on another machine) is refused there.
 */
public final class Fence {

    /** No task: writes made outside a stream task (tests, tools run by hand). It is never revoked. */
    public static final Fence NONE = new Fence(null, 0, null);

    private final String scope;
    private final long epoch;
    private final Fence parent;
    private volatile boolean revoked;

    private Fence(String scope, long epoch, Fence parent) {
        this.scope = scope;
        this.epoch = epoch;
        this.parent = parent;
    }

    /** The fence a task's owner claimed: epoch {@code epoch} of {@code scope}. */
    public static Fence of(String scope, long epoch) {
        Objects.requireNonNull(scope, "scope");
        if (scope.isBlank() || epoch < 1) {
            throw new IllegalArgumentException("a fence needs a scope and an epoch >= 1, got '" + scope + "' " + epoch);
        }
        return new Fence(scope, epoch, null);
    }

    /** A fence of no task that can still be revoked: for one turn run outside a stream task. */
    public static Fence unscoped() {
        return new Fence(null, 0, null);
    }

    /** A fence for one turn under this one: revoked by itself or with this one. */
    public Fence attempt() {
        return new Fence(scope, epoch, this);
    }

    /** True when the fence belongs to a task, so the database checks its epoch. */
    public boolean scoped() {
        return scope != null;
    }

    /** The task's scope; null for an unscoped fence. */
    public String scope() {
        return scope;
    }

    public long epoch() {
        return epoch;
    }

    /** From now on every check of this fence (and of its attempts) fails. {@link #NONE} cannot be revoked. */
    public void revoke() {
        if (this != NONE) {
            revoked = true;
        }
    }

    public boolean revoked() {
        return revoked || parent != null && parent.revoked();
    }

    /** The cooperative check, before a write: throws once the fence is revoked in this process. */
    public void check() {
        if (revoked()) {
            throw new FencedException(this + " was revoked: its task closed or its turn was abandoned");
        }
    }

    @Override
    public String toString() {
        return scope == null ? "fence of no task" : "fence " + scope + "@" + epoch;
    }
}
