package io.helpstream.fencing;

import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.ToLongFunction;

/**
 * The fences this process holds, one per scope: claiming a scope again revokes the fence held before, so the turns of
 * an earlier life of the task stop at their next check without waiting for anything outside. The epoch comes from
 * {@code nextEpoch} (the database), or counts up in memory when there is none.
 */
public final class LocalFences implements TaskFences {

    private final Map<String, Fence> held = new ConcurrentHashMap<>();
    private final ToLongFunction<String> nextEpoch;

    /** @param nextEpoch claims the next epoch of a scope where all processes see it; null: in memory */
    public LocalFences(ToLongFunction<String> nextEpoch) {
        this.nextEpoch = nextEpoch;
    }

    @Override
    public Fence claim(String scope) {
        Objects.requireNonNull(scope, "scope");
        long epoch = nextEpoch == null ? -1 : nextEpoch.applyAsLong(scope);
        return held.compute(scope, (key, earlier) -> {
            if (earlier != null) {
                earlier.revoke();
            }
            return Fence.of(key, nextEpoch != null ? epoch : earlier == null ? 1 : earlier.epoch() + 1);
        });
    }

    @Override
    public boolean blocking() {
        return nextEpoch != null;
    }
}
