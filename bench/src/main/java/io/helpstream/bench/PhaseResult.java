package io.helpstream.bench;

/**
 * What one load phase measured.
 *
 * @param sent            messages produced
 * @param received        distinct messages answered
 * @param replies         output records that answered them: one per message for the comparison designs; for
 *                        helpstream one per turn, which answers every message that waited while the previous turn
 *                        of its conversation ran
 * @param duplicates      answers received more than once
 * @param orderViolations answers that arrived after a later message of the same conversation had been answered
 * @param seconds         from the first message produced to the last answer received
 * @param latencies       answer received − message produced
 */
record PhaseResult(int sent, int received, int replies, int duplicates, int orderViolations, double seconds,
                   Latencies latencies) {

    /** Answers per second over the phase. */
    double throughput() {
        return seconds <= 0 ? 0 : received / seconds;
    }

    /** Output records (turns, for helpstream) per second over the phase. */
    double repliesPerSecond() {
        return seconds <= 0 ? 0 : replies / seconds;
    }

    boolean complete() {
        return received == sent;
    }

    @Override
    public String toString() {
        return String.format("%d/%d answered in %.2f s = %.0f/s by %d replies (%.0f/s); latency %s; duplicates %d, "
                        + "order violations %d", received, sent, seconds, throughput(), replies, repliesPerSecond(),
                latencies, duplicates, orderViolations);
    }
}
