package io.helpstream.turn;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A submitted turn. Cancelling one that has not started yet means it never runs; a running one runs on, but its fence
 * is revoked, so it writes nothing more.
 */
public final class TurnHandle {

    private final TurnRequest request;
    private final AtomicBoolean cancelled = new AtomicBoolean();

    TurnHandle(TurnRequest request) {
        this.request = request;
    }

    public TurnRequest request() {
        return request;
    }

    public void cancel() {
        cancelled.set(true);
        request.fence().revoke();
    }

    boolean cancelled() {
        return cancelled.get();
    }
}
