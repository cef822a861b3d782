package io.helpstream.fencing.postgres;

import io.helpstream.fencing.Fence;
import io.helpstream.fencing.FencedException;
import org.jdbi.v3.core.Handle;

/** The check every write of a turn runs first, inside its own transaction. */
public final class FenceCheck {

    private FenceCheck() {
    }

    /**
     * Passes when the fence still holds: not revoked here, and its task's epoch is still the one it was claimed with.
     * The shared lock it takes on the task's row lasts until the transaction ends, so a newer owner's claim waits for
     * this write and every write after the claim is refused.
     *
     * @throws FencedException when a newer owner claimed the task, or the fence was revoked
     */
    public static void verify(Handle transaction, Fence fence) {
        fence.check();
        if (!fence.scoped()) {
            return;
        }
        long current = transaction.attach(FenceDao.class).lockEpoch(fence.scope()).orElse(0L);
        if (current != fence.epoch()) {
            throw new FencedException(fence + " is stale: task " + fence.scope() + " is at epoch " + current
                    + ", claimed by a newer owner");
        }
    }
}
