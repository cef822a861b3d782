package io.helpstream.harness;

import java.time.Duration;

/**
 * One disruption of the chaos test.
 *
 * @param kind     what was done
 * @param at       time since sending began
 * @param instance which instance (0-based)
 * @param pid      the process it was done to
 * @param lasted   how long the instance was down or frozen (zero for a kill or a restart)
 * @param exit     the process's exit value when it was ended (-1 when it was not: a pause)
 */
record Disruption(Kind kind, Duration at, int instance, long pid, Duration lasted, int exit) {

    /** The ways an instance is disrupted. */
    enum Kind {
        /** SIGKILL, then started again at once (a crash and its supervisor). */
        SIGKILL,
        /** SIGTERM, then started again at once (a rolling restart). */
        SIGTERM,
        /** SIGTERM, down for a while, then started again: the instances scale 3 → 2 → 3. */
        SCALE,
        /** SIGSTOP for longer than the session timeout, then SIGCONT: the instance wakes up as a zombie. */
        PAUSE
    }

    String describe() {
        String what = switch (kind) {
            case SIGKILL -> "SIGKILL, exit " + exit + ", restarted";
            case SIGTERM -> "SIGTERM, exit " + exit + ", restarted";
            case SCALE -> "SIGTERM, exit " + exit + ", down " + seconds(lasted) + ", started again";
            case PAUSE -> "SIGSTOP for " + seconds(lasted) + ", then SIGCONT";
        };
        return String.format("at %6.1f s: instance %d (pid %d) %s", at.toMillis() / 1000.0, instance, pid, what);
    }

    private static String seconds(Duration duration) {
        return String.format("%.1f s", duration.toMillis() / 1000.0);
    }
}
