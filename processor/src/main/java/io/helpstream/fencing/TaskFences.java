package io.helpstream.fencing;

/**
 * Hands out fences: the port behind which each task's epochs are kept. A claim makes every fence handed out earlier
 * for the same scope fail its checks, in whatever process it lives.
 */
public interface TaskFences {

    /** Claims the next epoch of {@code scope} for a new owner; may block on the store. */
    Fence claim(String scope);

    /** False when a claim answers at once (nothing to wait for), so it may run on the caller's thread. */
    default boolean blocking() {
        return true;
    }

    /**
     * Epochs kept in this process only: the fences of an earlier life of a task are revoked when a later one claims
     * it, but nothing outside this process is fenced. For tests and single runs without a database.
     */
    static TaskFences inMemory() {
        return new LocalFences(null);
    }
}
