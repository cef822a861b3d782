package io.helpstream.harness;

import io.helpstream.contract.Topics;
import java.io.PrintStream;
import java.time.Duration;

/** Waits, reading the replies as they come, until every message of the workload has one or the timeout passed. */
final class Answers {

    private static final Duration PROGRESS_EVERY = Duration.ofSeconds(10);

    private Answers() {
    }

    /** @param meanwhile runs between polls (a supervisor restarting processes that ended) */
    static void await(String bootstrapServers, Topics topics, Workload workload, Duration timeout,
                      Runnable meanwhile, PrintStream out) {
        try (OutputReader replies = new OutputReader(bootstrapServers, topics, null)) {
            long deadline = System.nanoTime() + timeout.toNanos();
            long nextProgress = System.nanoTime() + PROGRESS_EVERY.toNanos();
            int total = workload.messages().size();
            while (answered(replies, workload) < total && System.nanoTime() < deadline) {
                replies.poll(Duration.ofMillis(500));
                meanwhile.run();
                if (System.nanoTime() > nextProgress) {
                    out.printf("waiting for replies: %d of %d answered%n", answered(replies, workload), total);
                    nextProgress = System.nanoTime() + PROGRESS_EVERY.toNanos();
                }
            }
            out.printf("%d of %d messages answered%n", answered(replies, workload), total);
        }
    }

    private static long answered(OutputReader replies, Workload workload) {
        return workload.messages().stream().filter(m -> replies.answered().contains(m.messageId())).count();
    }
}
