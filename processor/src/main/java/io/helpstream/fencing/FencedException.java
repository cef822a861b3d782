package io.helpstream.fencing;

/**
 * A write refused because its turn's fence no longer holds: a newer owner claimed the task, or this process
 * abandoned the turn. The turn ends without a reply; its messages belong to whoever owns the task now.
 */
public final class FencedException extends RuntimeException {

    public FencedException(String message) {
        super(message);
    }

    /** True when the failure, or anything in its cause chain, is a refused write. */
    public static boolean in(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof FencedException) {
                return true;
            }
        }
        return false;
    }
}
