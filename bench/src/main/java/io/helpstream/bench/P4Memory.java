package io.helpstream.bench;

import io.helpstream.app.Application;
import io.helpstream.contract.ConversationStores;
import io.helpstream.contract.Topics;
import io.helpstream.localstack.ThrowawayEnvironment;
import io.helpstream.schema.ConversationMeta;
import io.helpstream.schema.HistoryTurn;
import io.helpstream.schema.PendingMessage;
import io.helpstream.schema.ToolCallRecord;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.kafka.common.IsolationLevel;

/**
 * P4: what a conversation costs. The changelog bytes written per turn at chat pace (every record of every
 * conversation changelog, key + value before compression, per store and per kind of record, for the first and the
 * last turns of the conversations, once per dedup retention), and the heap of an instance holding many
 * conversations (after full GCs, before and after they were added).
 */
final class P4Memory {

    /** Goal: changelog bytes (key + value) written per turn at chat pace. */
    static final double GOAL_BYTES_PER_TURN = 3 * 1024;

    /**
     * @param retentions {@code HELPSTREAM_DEDUP_RETENTION} values; the changelog measurement runs once for each
     */
    record Options(int conversations, int turns, List<String> retentions, int heapConversations, int partitions,
                   int maxInFlight) {
    }

    /** Records, key bytes and value bytes of some changelog records. */
    record Tally(long records, long keyBytes, long valueBytes) {
        static final Tally ZERO = new Tally(0, 0, 0);

        Tally plus(ChangelogRecords.Written record) {
            return new Tally(records + 1, keyBytes + record.key().length,
                    valueBytes + (record.value() == null ? 0 : record.value().length));
        }

        long bytes() {
            return keyBytes + valueBytes;
        }
    }

    /**
     * The changelog records of one run of {@code turns} turns in each of {@code conversations} conversations.
     *
     * @param byStore      every record, by store
     * @param byKind       every record, by store and what wrote it
     * @param first        the records written while turns 1 .. {@code window} ran
     * @param last         the records written while the last {@code window} turns ran
     * @param aborted      records of aborted transactions (read_uncommitted minus read_committed)
     * @param historyParts mean bytes per history-turn record: user text, tool calls, reply text, message id, rest
     */
    record SizeRun(String retention, int conversations, int turns, int window, Map<String, Tally> byStore,
                   Map<String, Tally> byKind, Map<String, Tally> first, Map<String, Tally> last, Tally aborted,
                   Map<String, Double> historyParts, ChatPace.Stretch[] stretches) {
        int totalTurns() {
            return conversations * turns;
        }

        long bytes() {
            return byStore.values().stream().mapToLong(Tally::bytes).sum();
        }

        double bytesPerTurn() {
            return bytes() / (double) totalTurns();
        }

        double firstPerTurn() {
            return first.values().stream().mapToLong(Tally::bytes).sum() / (double) (conversations * window);
        }

        double lastPerTurn() {
            return last.values().stream().mapToLong(Tally::bytes).sum() / (double) (conversations * window);
        }
    }

    /**
     * @param heapBefore    heap used, after GC, with the application running and warmed up
     * @param heapAfter     heap used, after GC, once {@code heapConversations} more conversations were answered
     * @param stateDirBytes the state directory (RocksDB) on disk at the end
     */
    record Result(List<SizeRun> sizes, int heapConversations, long heapBefore, long heapAfter, long stateDirBytes,
                  PhaseResult heapFill) {
        double heapBytesPerConversation() {
            return heapConversations == 0 ? 0 : (heapAfter - heapBefore) / (double) heapConversations;
        }
    }

    private P4Memory() {
    }

    static Result run(ThrowawayEnvironment env, Options options, Report report) throws Exception {
        report.heading("P4 memory: changelog bytes written per turn, heap");
        int window = Math.max(1, Math.min(10, options.turns() / 2));
        report.line("%d conversations × %d messages at chat pace (each message sent once the previous one of its "
                        + "conversation was answered); UUID conversation and message ids, gateway-asserted email, "
                        + "100–300-character texts; zero-latency model with one customer look-up per turn; "
                        + "dedup retention %s; then %d conversations for the heap",
                options.conversations(), options.turns(), String.join(" and ", options.retentions()),
                options.heapConversations());
        List<SizeRun> sizes = new ArrayList<>();
        Result result = null;
        for (int i = 0; i < options.retentions().size(); i++) {
            String retention = options.retentions().get(i);
            boolean heap = i == options.retentions().size() - 1;
            HelpstreamUnderTest helpstream = HelpstreamUnderTest.of(env, "p4-" + retention.toLowerCase(Locale.ROOT),
                    options.maxInFlight(), options.partitions()).with("HELPSTREAM_DEDUP_RETENTION", retention);
            try (Application app = helpstream.start(ScriptedChatModel.withLookup())) {
                // helpstream created its tables when it started; the customers it looks up go in before any message.
                int customers = Math.max(100, options.conversations());
                Customers.seed(env.database(), customers);
                SizeRun size = sizes(env, helpstream, options, retention, window, customers);
                sizes.add(size);
                report(size, report);
                if (heap) {
                    result = heap(env, helpstream, options, sizes, customers, report);
                }
            }
        }
        if (sizes.size() > 1) {
            report.line("- bytes per turn by dedup retention: %s", String.join(", ", sizes.stream()
                    .map(size -> String.format(Locale.ROOT, "%s %.0f B", size.retention(), size.bytesPerTurn()))
                    .toList()));
        }
        for (SizeRun size : sizes) {
            report.goal("changelog bytes per turn ≤ 3 KB (" + size.retention() + ")",
                    size.bytesPerTurn() <= GOAL_BYTES_PER_TURN, String.format(Locale.ROOT, "%.0f B per turn",
                            size.bytesPerTurn()));
        }
        return result;
    }

    private static SizeRun sizes(ThrowawayEnvironment env, HelpstreamUnderTest helpstream, Options options,
                                 String retention, int window, int customers) throws Exception {
        String appId = helpstream.config().streams().applicationId();
        String bootstrap = env.bootstrapServers();
        List<ChatPace.Conversation> conversations = ChatPace.conversations(options.conversations(), customers);
        int turns = options.turns();
        // Turns 1 .. window, the middle, the last window: each stretch ends when every conversation got there.
        int[][] stretches = turns > 2 * window ? new int[][]{{1, window}, {window + 1, turns - window},
                {turns - window + 1, turns}} : new int[][]{{1, window}, {window + 1, turns}};
        List<ChangelogRecords.Marks> marks = new ArrayList<>();
        ChatPace.Stretch[] stats = new ChatPace.Stretch[stretches.length];
        try (ChatPace chat = new ChatPace(bootstrap, helpstream.topics().customerMessages().name(),
                helpstream.topics().agentReplies().name(), 4711)) {
            marks.add(ChangelogRecords.marks(bootstrap, appId));
            for (int s = 0; s < stretches.length; s++) {
                stats[s] = chat.run(conversations, stretches[s][0], stretches[s][1],
                        Duration.ofMinutes(5 + (stretches[s][1] - stretches[s][0]) / 5));
                if (stats[s].unexpected() > 0) {
                    throw new IllegalStateException("turns " + stretches[s][0] + "-" + stretches[s][1] + " got "
                            + stats[s].unexpected() + " unexpected replies");
                }
                marks.add(ChangelogRecords.marks(bootstrap, appId));
            }
        }
        List<ChangelogRecords.Written> committed = ChangelogRecords.read(bootstrap, appId,
                IsolationLevel.READ_COMMITTED);
        List<ChangelogRecords.Written> everything = ChangelogRecords.read(bootstrap, appId,
                IsolationLevel.READ_UNCOMMITTED);
        Tally aborted = new Tally(everything.size() - committed.size(),
                everything.stream().mapToLong(r -> r.key().length).sum()
                        - committed.stream().mapToLong(r -> r.key().length).sum(),
                everything.stream().mapToLong(r -> r.value() == null ? 0 : r.value().length).sum()
                        - committed.stream().mapToLong(r -> r.value() == null ? 0 : r.value().length).sum());
        Map<String, Tally> byStore = new LinkedHashMap<>();
        Map<String, Tally> byKind = new LinkedHashMap<>();
        Map<String, Tally> first = new LinkedHashMap<>();
        Map<String, Tally> last = new LinkedHashMap<>();
        ConversationStores.all().forEach(store -> {
            byStore.put(store, Tally.ZERO);
            first.put(store, Tally.ZERO);
            last.put(store, Tally.ZERO);
        });
        ChangelogRecords.Marks firstEnd = marks.get(1);
        ChangelogRecords.Marks lastStart = marks.get(marks.size() - 2);
        ChangelogRecords.Marks lastEnd = marks.get(marks.size() - 1);
        double[] history = new double[5];
        long historyRecords = 0;
        for (ChangelogRecords.Written record : committed) {
            byStore.merge(record.store(), Tally.ZERO.plus(record), P4Memory::sum);
            byKind.merge(kind(record), Tally.ZERO.plus(record), P4Memory::sum);
            if (record.offset() < firstEnd.of(record.store(), record.partition())) {
                first.merge(record.store(), Tally.ZERO.plus(record), P4Memory::sum);
            }
            if (record.offset() >= lastStart.of(record.store(), record.partition())
                    && record.offset() < lastEnd.of(record.store(), record.partition())) {
                last.merge(record.store(), Tally.ZERO.plus(record), P4Memory::sum);
            }
            if (record.store().equals(ConversationStores.HISTORY) && record.value() != null) {
                HistoryTurn turn = Topics.HISTORY_TURN.decode(record.value());
                int user = utf8(turn.getUserText());
                int tools = 0;
                for (ToolCallRecord call : turn.getToolCalls()) {
                    tools += utf8(call.getId()) + utf8(call.getName()) + utf8(call.getArguments())
                            + utf8(call.getOutput());
                }
                int reply = utf8(turn.getReplyText());
                int ids = utf8(turn.getMessageId()) + turn.getAnsweredMessageIds().stream().mapToInt(P4Memory::utf8)
                        .sum();
                history[0] += user;
                history[1] += tools;
                history[2] += reply;
                history[3] += ids;
                history[4] += record.value().length - user - tools - reply - ids;
                historyRecords++;
            }
        }
        Map<String, Double> historyParts = new LinkedHashMap<>();
        String[] names = {"customer text", "tool calls (id, name, arguments, result)", "reply text", "message ids",
            "rest (header, lengths, times)"};
        for (int i = 0; i < names.length; i++) {
            historyParts.put(names[i], historyRecords == 0 ? 0 : history[i] / historyRecords);
        }
        return new SizeRun(retention, options.conversations(), turns, window, byStore, byKind, first, last, aborted,
                historyParts, stats);
    }

    /** The store of a record and which step of a turn wrote it. */
    private static String kind(ChangelogRecords.Written record) {
        String store = record.store();
        if (record.value() == null) {
            return store + ": delete";
        }
        return switch (store) {
            case ConversationStores.META -> {
                ConversationMeta meta = Topics.CONVERSATION_META.decode(record.value());
                yield store + (meta.getPendingCount() > 0 ? ": message accepted" : ": turn applied");
            }
            case ConversationStores.PENDING -> store + ": message accepted";
            case ConversationStores.HISTORY -> store + ": turn applied";
            case ConversationStores.DEDUP -> store + ": message id remembered";
            case ConversationStores.EXPIRY -> store + ": deadline indexed";
            default -> store + ": put";
        };
    }

    private static Tally sum(Tally a, Tally b) {
        return new Tally(a.records() + b.records(), a.keyBytes() + b.keyBytes(), a.valueBytes() + b.valueBytes());
    }

    private static int utf8(String text) {
        return text == null ? 0 : text.getBytes(StandardCharsets.UTF_8).length;
    }

    private static void report(SizeRun size, Report report) {
        double turns = size.totalTurns();
        report.line("");
        report.line("Dedup retention %s: %d turns (%d conversations × %d), customer texts %.0f bytes on average",
                size.retention(), size.totalTurns(), size.conversations(), size.turns(),
                java.util.Arrays.stream(size.stretches()).mapToLong(ChatPace.Stretch::textBytes).sum()
                        / (double) java.util.Arrays.stream(size.stretches()).mapToInt(ChatPace.Stretch::messages)
                        .sum());
        for (int s = 0; s < size.stretches().length; s++) {
            report.line("- stretch %d: %d messages (texts %.0f bytes on average) in %.2f s, latency %s", s + 1,
                    size.stretches()[s].messages(), size.stretches()[s].meanTextBytes(),
                    size.stretches()[s].seconds(), size.stretches()[s].latencies());
        }
        report.line("");
        report.line("| store | records | records per turn | key B per turn | value B per turn | B per turn | share |");
        report.line("|---|---|---|---|---|---|---|");
        long total = size.bytes();
        size.byStore().forEach((store, tally) -> report.line("| %s | %d | %.2f | %.1f | %.1f | %.1f | %.1f %% |",
                store, tally.records(), tally.records() / turns, tally.keyBytes() / turns,
                tally.valueBytes() / turns, tally.bytes() / turns, total == 0 ? 0 : 100.0 * tally.bytes() / total));
        long records = size.byStore().values().stream().mapToLong(Tally::records).sum();
        report.line("| **all** | %d | %.2f | %.1f | %.1f | **%.1f** | 100 %% |", records, records / turns,
                size.byStore().values().stream().mapToLong(Tally::keyBytes).sum() / turns,
                size.byStore().values().stream().mapToLong(Tally::valueBytes).sum() / turns, size.bytesPerTurn());
        report.line("");
        report.line("| record | records | per turn | mean key B | mean value B | B per turn |");
        report.line("|---|---|---|---|---|---|");
        size.byKind().entrySet().stream()
                .sorted((a, b) -> Long.compare(b.getValue().bytes(), a.getValue().bytes()))
                .forEach(entry -> report.line("| %s | %d | %.2f | %.1f | %.1f | %.1f |", entry.getKey(),
                        entry.getValue().records(), entry.getValue().records() / turns,
                        entry.getValue().keyBytes() / (double) entry.getValue().records(),
                        entry.getValue().valueBytes() / (double) entry.getValue().records(),
                        entry.getValue().bytes() / turns));
        report.line("");
        double perWindow = size.conversations() * (double) size.window();
        report.line("| turns | %s | all |", String.join(" | ", size.byStore().keySet()));
        report.line("|---|%s---|", "---|".repeat(size.byStore().size()));
        report.line("| 1–%d, B per turn | %s | **%.1f** |", size.window(), String.join(" | ", size.first().values()
                .stream().map(t -> String.format(Locale.ROOT, "%.1f", t.bytes() / perWindow)).toList()),
                size.firstPerTurn());
        report.line("| %d–%d, B per turn | %s | **%.1f** |", size.turns() - size.window() + 1, size.turns(),
                String.join(" | ", size.last().values().stream()
                        .map(t -> String.format(Locale.ROOT, "%.1f", t.bytes() / perWindow)).toList()),
                size.lastPerTurn());
        report.line("");
        report.line("- a history-turn record's value, mean bytes: %s", String.join(", ", size.historyParts()
                .entrySet().stream().map(e -> String.format(Locale.ROOT, "%s %.0f", e.getKey(), e.getValue()))
                .toList()));
        report.line("- records of aborted transactions (not counted above): %d, %d bytes", size.aborted().records(),
                size.aborted().bytes());
        report.line("- **%.0f bytes of changelog per turn** (key + value, before compression; %d bytes, %d turns)",
                size.bytesPerTurn(), size.bytes(), size.totalTurns());
    }

    private static Result heap(ThrowawayEnvironment env, HelpstreamUnderTest helpstream, Options options,
                               List<SizeRun> sizes, int customers, Report report) throws Exception {
        try (LoadDriver driver = new LoadDriver(env.bootstrapServers(), helpstream.topics().customerMessages().name(),
                helpstream.topics().agentReplies().name(), MessageFormat.HELPSTREAM, env.tag() + "p4h")) {
            long before = heapAfterGc();
            PhaseResult fill = driver.run(Workloads.rounds("heap", options.heapConversations(), 1, customers), 0,
                    Duration.ofSeconds(120 + options.heapConversations() / 50));
            if (!fill.complete()) {
                throw new IllegalStateException("the heap fill did not complete: " + fill);
            }
            long after = heapAfterGc();
            Result result = new Result(sizes, options.heapConversations(), before, after,
                    directorySize(helpstream.stateDir()), fill);
            report.line("");
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
