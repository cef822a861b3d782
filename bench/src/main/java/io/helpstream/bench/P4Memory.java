package io.helpstream.bench;

import io.helpstream.contract.ConversationStores;

import io.helpstream.app.Application;
import io.helpstream.localstack.ThrowawayEnvironment;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * P4: what a conversation costs. Its stored size after 1, 10, 25 and 50 turns (the newest changelog record per
 * conversation, i.e. what the store holds and a restore reads), and the heap of an instance holding many
 * conversations (after full GCs, before and after they were added).
 */
final class P4Memory {

    record Options(int conversations, int turns, int heapConversations, int partitions, int maxInFlight) {
    }

    /**
     * @param sizeAfterTurns stored size of the conversations after that many turns each
     * @param heapBefore     heap used, after GC, with the application running and warmed up
     * @param heapAfter      heap used, after GC, once {@code heapConversations} more conversations were answered
     * @param stateDirBytes  the state directory (RocksDB) on disk at the end
     */
    record Result(Map<Integer, ChangelogSizes.Sizes> sizeAfterTurns, int heapConversations, long heapBefore,
                  long heapAfter, long stateDirBytes, PhaseResult heapFill) {
        double heapBytesPerConversation() {
            return heapConversations == 0 ? 0 : (heapAfter - heapBefore) / (double) heapConversations;
        }
    }

    private P4Memory() {
    }

    static Result run(ThrowawayEnvironment env, Options options, Report report) throws Exception {
        report.heading("P4 memory: stored bytes per conversation, heap");
        report.line("%d conversations × %d turns for the size (history window 10, dedup window 256 ids); %d "
                        + "conversations for the heap; zero-latency model with one look-up per turn",
                options.conversations(), options.turns(), options.heapConversations());
        int customers = 100;
        HelpstreamUnderTest helpstream = HelpstreamUnderTest.of(env, "p4h", options.maxInFlight(),
                options.partitions());
        TreeSet<Integer> checkpoints = new TreeSet<>();
        for (int turn : new int[]{1, 10, 25, 50, options.turns()}) {
            if (turn <= options.turns()) {
                checkpoints.add(turn);
            }
        }
        Map<Integer, ChangelogSizes.Sizes> sizes = new LinkedHashMap<>();
        try (Application app = helpstream.start(ScriptedChatModel.withLookup());
             LoadDriver driver = new LoadDriver(env.bootstrapServers(), helpstream.topics().customerMessages().name(),
                     helpstream.topics().agentReplies().name(), MessageFormat.HELPSTREAM, env.tag() + "p4h")) {
            // helpstream created its tables when it started; the customers it looks up go in before any message.
            Customers.seed(env.database(), customers);
            for (int turn = 1; turn <= options.turns(); turn++) {
                PhaseResult round = driver.run(Workloads.rounds("size", options.conversations(), 1, customers), 0,
                        Duration.ofMinutes(5));
                if (!round.complete()) {
                    throw new IllegalStateException("turn " + turn + " did not complete: " + round);
                }
                if (checkpoints.contains(turn)) {
                    ChangelogSizes.Sizes size = ChangelogSizes.read(env.bootstrapServers(),
                            helpstream.changelogTopic(ConversationStores.META), "size-conv-");
                    sizes.put(turn, size);
                    report.line("- after %d turns: %.0f bytes per conversation on average, max %d (%d conversations)",
                            turn, size.meanBytes(), size.maxBytes(), size.conversations());
                }
            }
            long before = heapAfterGc();
            PhaseResult fill = driver.run(Workloads.rounds("heap", options.heapConversations(), 1, customers), 0,
                    Duration.ofSeconds(120 + options.heapConversations() / 50));
            if (!fill.complete()) {
                throw new IllegalStateException("the heap fill did not complete: " + fill);
            }
            long after = heapAfterGc();
            Result result = new Result(sizes, options.heapConversations(), before, after,
                    directorySize(helpstream.stateDir()), fill);
            report.line("- heap used after GC: %.1f MiB before, %.1f MiB with %d more conversations = %.0f bytes "
                            + "per conversation (fill: %s)", mib(before), mib(after), options.heapConversations(),
                    result.heapBytesPerConversation(), fill);
            report.line("- state directory on disk: %.1f MiB (RocksDB, off-heap)", mib(result.stateDirBytes()));
            return result;
        }
    }

    private static double mib(long bytes) {
        return bytes / 1024.0 / 1024.0;
    }

    /** Heap in use after full collections; several, since one may leave garbage that finalisation frees. */
    static long heapAfterGc() {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        for (int i = 0; i < 3; i++) {
            memory.gc();
            StreamsRun.sleep(200);
        }
        return memory.getHeapMemoryUsage().getUsed();
    }

    private static long directorySize(Path root) throws IOException {
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(Files::isRegularFile).mapToLong(path -> {
                try {
                    return Files.size(path);
                } catch (IOException e) {
                    return 0;
                }
            }).sum();
        }
    }
}
