package io.helpstream.bench;

import io.helpstream.app.Application;
import io.helpstream.contract.Replies;
import io.helpstream.localstack.ThrowawayEnvironment;
import io.helpstream.schema.AgentReply;
import io.helpstream.schema.CustomerMessage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.locks.LockSupport;

/**
 * P7: one conversation receives a burst of messages at once (10 000) while many others (1 000) chat, each sending
 * its next message when the previous one is answered. Measured twice on one running instance, with the same model of
 * realistic latency: without the hot conversation, then with it (and once more without, to show the run-to-run
 * spread). The others' reply latency with the burst should stay within 2× of that without; no stream thread may
 * die; and every hot message must be accounted for exactly once: answered by a turn (among the ids
 * {@link Replies#answered} gives) or answered with the fixed inbox-full reply and dead-lettered with reason
 * {@code INBOX_FULL}.
 */
final class P7HotConversation {

    static final double GOAL_RATIO = 2.0;

    record Options(int others, int messagesPerOther, int hotMessages, int minLatencyMs, int maxLatencyMs,
                   int partitions, int maxInFlight) {
    }

    /**
     * How the hot conversation's messages were accounted for.
     *
     * @param answered          distinct messages answered by a turn (in a reply other than the inbox-full one)
     * @param deadLettered      distinct messages dead-lettered with reason {@code INBOX_FULL}
     * @param both              messages answered by a turn and dead-lettered
     * @param answeredTwice     messages answered by more than one turn reply
     * @param deadLetteredTwice messages dead-lettered more than once
     * @param inboxFullReplies  inbox-full replies received
     * @param inboxFullUnmatched inbox-full replies whose message was not dead-lettered with INBOX_FULL, or the reverse
     * @param turnReplies       replies of turns (not inbox-full)
     * @param mergedReplies     turn replies answering more than one message
     * @param largestMerge      most messages one reply answered
     * @param unknown           ids in replies or dead letters that were never sent
     * @param seconds           from the first hot message sent until every one was accounted for
     */
    record Hot(int sent, int answered, int deadLettered, int both, int answeredTwice, int deadLetteredTwice,
               int inboxFullReplies, int inboxFullUnmatched, int turnReplies, int mergedReplies, int largestMerge,
               int unknown, double seconds) {
        boolean accounted() {
            return answered + deadLettered == sent && both == 0 && answeredTwice == 0 && deadLetteredTwice == 0
                    && unknown == 0 && inboxFullUnmatched == 0;
        }

        @Override
        public String toString() {
            return String.format("%d sent: %d answered by %d turn replies (%d merged, largest %d) + %d dead-lettered "
                            + "INBOX_FULL = %d; both %d, answered twice %d, dead-lettered twice %d, unknown ids %d; "
                            + "%d inbox-full replies, %d without their dead letter; all accounted for after %.2f s",
                    sent, answered, turnReplies, mergedReplies, largestMerge, deadLettered, answered + deadLettered,
                    both, answeredTwice, deadLetteredTwice, unknown, inboxFullReplies, inboxFullUnmatched, seconds);
        }
    }

    /**
     * @param others          every reply latency of the other conversations
     * @param othersDuringHot those of the others' messages sent while hot messages were still unaccounted for
     * @param seconds         from the first message sent until the last of the others was answered
     * @param otherDeadLetters dead letters of this run other than the hot conversation's INBOX_FULL ones
     */
    record Run(String label, int othersSent, int othersAnswered, Latencies others, Latencies othersDuringHot,
               double seconds, Hot hot, int otherDeadLetters, Map<Integer, Latencies> othersByPartition,
               int hotPartition) {
    }

    record Result(Options options, Run without, Run with, Run withoutAgain, int failedThreads, int aliveThreads,
                  String state, int errorLogs) {
        double ratio() {
            return with.others().p99() / without.others().p99();
        }

        boolean goalsMet() {
            return ratio() <= GOAL_RATIO && failedThreads == 0 && with.hot().accounted()
                    && with.hot().mergedReplies() > 0 && with.hot().inboxFullReplies() > 0;
        }
    }

    private P7HotConversation() {
    }

    static Result run(ThrowawayEnvironment env, Options options, Report report) throws Exception {
        report.heading("P7 one hot conversation: " + options.hotMessages() + " messages at once among "
                + options.others() + " chatting conversations");
        report.line("%d other conversations × %d messages (each sends its next when the previous is answered); hot "
                        + "conversation %d messages sent at once; model %d–%d ms per call (uniform), %d partitions, "
                        + "one stream thread, max in-flight %d, inbox caps and per-turn merge at the product defaults",
                options.others(), options.messagesPerOther(), options.hotMessages(), options.minLatencyMs(),
                options.maxLatencyMs(), options.partitions(), options.maxInFlight());
        String inboxFull = inboxFullText();
        HelpstreamUnderTest helpstream = HelpstreamUnderTest.of(env, "p7", options.maxInFlight(),
                options.partitions());
        ScriptedChatModel model = ScriptedChatModel.slow(Duration.ofMillis(options.minLatencyMs()),
                Duration.ofMillis(options.maxLatencyMs()));
        Dispatch dispatch = new Dispatch();
        try (LogWatch logs = LogWatch.attach();
             Application app = helpstream.start(model);
             StreamsWatch watch = new StreamsWatch(app, false, 200);
             ChatGateway gateway = new ChatGateway(env.bootstrapServers(), helpstream.topics(), dispatch)) {
            String tag = env.tag();
            Run warmup = session(gateway, dispatch, tag + "-w", options.others(), 2, 0, inboxFull,
                    options.partitions());
            report.line("- warm-up (%d × 2 messages, no hot conversation): %s", options.others(), warmup.others());
            Run without = session(gateway, dispatch, tag + "-a", options.others(), options.messagesPerOther(), 0,
                    inboxFull, options.partitions());
            describe(report, without);
            Run with = session(gateway, dispatch, tag + "-b", options.others(), options.messagesPerOther(),
                    options.hotMessages(), inboxFull, options.partitions());
            describe(report, with);
            Run withoutAgain = session(gateway, dispatch, tag + "-c", options.others(), options.messagesPerOther(), 0,
                    inboxFull, options.partitions());
            describe(report, withoutAgain);
            Result result = new Result(options, without, with, withoutAgain, watch.failedThreads(),
                    watch.aliveThreads(), app.state().toString(), logs.errorCount());
            report.line("- others' p99 with ÷ without = %.1f ÷ %.1f ms = **%.2f** (against the second run without: "
                    + "%.2f)", with.others().p99(), without.others().p99(), result.ratio(),
                    with.others().p99() / withoutAgain.others().p99());
            report.line("- stream threads: %d failed, %d alive, instance %s; %d ERROR log lines (%s), WARN lines %s",
                    result.failedThreads(), result.aliveThreads(), result.state(), result.errorLogs(),
                    logs.errorsByLogger(), logs.warningsByLogger());
            logs.firstErrors().forEach(line -> report.line("  - error: %s", line));
            report.goal("others' p99 with the hot conversation ≤ 2× without", result.ratio() <= GOAL_RATIO,
                    String.format("%.2f×", result.ratio()));
            report.goal("no stream thread dies", result.failedThreads() == 0 && "RUNNING".equals(result.state()),
                    result.failedThreads() + " failed, state " + result.state());
            report.goal("merged answers and INBOX_FULL replies", with.hot().mergedReplies() > 0
                            && with.hot().inboxFullReplies() > 0,
                    with.hot().mergedReplies() + " merged replies (largest " + with.hot().largestMerge() + "), "
                            + with.hot().inboxFullReplies() + " INBOX_FULL replies");
            report.goal("answered + dead-lettered = " + options.hotMessages() + ", none both or twice",
                    with.hot().accounted(), with.hot().answered() + " + " + with.hot().deadLettered() + " = "
                            + (with.hot().answered() + with.hot().deadLettered()) + ", both " + with.hot().both()
                            + ", twice " + (with.hot().answeredTwice() + with.hot().deadLetteredTwice())
                            + ", unknown " + with.hot().unknown());
            return result;
        }
    }

    private static void describe(Report report, Run run) {
        report.line("- %s: others %d/%d answered in %.2f s, latency %s%s%s", run.label(), run.othersAnswered(),
                run.othersSent(), run.seconds(), run.others(),
                run.hot() == null ? "" : "; while the burst was being worked through: " + run.othersDuringHot(),
                run.otherDeadLetters() == 0 ? "" : "; " + run.otherDeadLetters() + " other dead letters");
        StringBuilder partitions = new StringBuilder();
        run.othersByPartition().forEach((partition, latencies) -> partitions.append(String.format(
                java.util.Locale.ROOT, "%s  partition %d%s: p50 %.0f / p99 %.0f / max %.0f ms (n=%d)",
                partitions.isEmpty() ? "" : ";", partition, partition == run.hotPartition() ? " (hot's)" : "",
                latencies.p50(), latencies.p99(), latencies.max(), latencies.count())));
        report.line("  - others by input partition:%s", partitions);
        if (run.hot() != null) {
            report.line("  - hot conversation: %s", run.hot());
        }
    }

    /** The product's fixed inbox-full reply text, read from the processor so that the two cannot drift apart. */
    static String inboxFullText() throws ReflectiveOperationException {
        var field = Class.forName("io.helpstream.conversation.ConversationProcessor").getDeclaredField("INBOX_FULL");
        field.setAccessible(true);
        return (String) field.get(null);
    }

    /** Sends the gateway's outputs to the session running now. */
    private static final class Dispatch implements ChatGateway.Listener {
        volatile ChatGateway.Listener current;

        @Override
        public void reply(AgentReply reply, long receivedNanos) {
            ChatGateway.Listener listener = current;
            if (listener != null) {
                listener.reply(reply, receivedNanos);
            }
        }

        @Override
        public void deadLetter(String key, CustomerMessage message, String reason, long receivedNanos) {
            ChatGateway.Listener listener = current;
            if (listener != null) {
                listener.deadLetter(key, message, reason, receivedNanos);
            }
        }
    }

    private static Run session(ChatGateway gateway, Dispatch dispatch, String prefix, int others, int messages,
                               int hotMessages, String inboxFull, int partitions) {
        Session session = new Session(gateway, prefix, others, messages, hotMessages, inboxFull, partitions);
        dispatch.current = session;
        try {
            return session.run(Duration.ofMinutes(5));
        } finally {
            dispatch.current = null;
        }
    }

    /** One measurement: the others' closed loops, and the hot conversation's burst when it has one. */
    private static final class Session implements ChatGateway.Listener {
        private final ChatGateway gateway;
        private final String prefix;
        private final int others;
        private final int messages;
        private final int hotMessages;
        private final String inboxFull;
        private final String hotId;
        private final int partitions;
        private final long[] sentNanos;
        private final long[] receivedNanos;
        private final int[] answeredOfOther;
        private int othersAnswered;
        private int otherDeadLetters;
        private long lastOtherReceived;
        private final Map<String, Integer> hotAnswered = new HashMap<>();
        private final Map<String, Integer> hotDeadLettered = new HashMap<>();
        private final Set<String> hotInboxFullReplied = new HashSet<>();
        private final Set<String> unknown = new HashSet<>();
        private int inboxFullReplies;
        private int turnReplies;
        private int mergedReplies;
        private int largestMerge;
        private long hotStart;
        private long hotDone;

        Session(ChatGateway gateway, String prefix, int others, int messages, int hotMessages, String inboxFull,
                int partitions) {
            this.gateway = gateway;
            this.partitions = partitions;
            this.prefix = prefix;
            this.others = others;
            this.messages = messages;
            this.hotMessages = hotMessages;
            this.inboxFull = inboxFull;
            this.hotId = prefix + "-hot";
            this.sentNanos = new long[others * messages];
            this.receivedNanos = new long[others * messages];
            this.answeredOfOther = new int[others];
        }

        private String otherId(int conversation) {
            return prefix + "-o-" + conversation;
        }

        /** Sends message {@code k} of other conversation {@code c}; its id is {@code <conversation>-m<k>}. */
        private synchronized void sendOther(int c, int k) {
            sentNanos[c * messages + k] = System.nanoTime();
            gateway.send(otherId(c), otherId(c) + "-m" + k, Customers.email(c));
        }

        Run run(Duration timeout) {
            long start = System.nanoTime();
            for (int c = 0; c < others; c++) {
                sendOther(c, 0);
            }
            if (hotMessages > 0) {
                synchronized (this) {
                    hotStart = System.nanoTime();
                }
                for (int i = 0; i < hotMessages; i++) {
                    gateway.send(hotId, hotId + "-m" + i, Customers.email(others));
                }
            }
            gateway.flush();
            long deadline = start + timeout.toNanos();
            while (!done() && System.nanoTime() < deadline) {
                LockSupport.parkNanos(Duration.ofMillis(10).toNanos());
            }
            // Late duplicates or second dead letters would show here.
            StreamsRun.sleep(2_000);
            return result(start);
        }

        private synchronized boolean done() {
            return othersAnswered == sentNanos.length && hotAccounted();
        }

        private boolean hotAccounted() {
            if (hotMessages == 0) {
                return true;
            }
            Set<String> all = new HashSet<>(hotAnswered.keySet());
            all.addAll(hotDeadLettered.keySet());
            return all.size() >= hotMessages && hotAnswered.size() + hotDeadLettered.size() >= hotMessages;
        }

        @Override
        public synchronized void reply(AgentReply reply, long now) {
            String conversation = reply.getConversationId();
            if (conversation.equals(hotId)) {
                hotReply(reply);
                if (hotDone == 0 && hotAccounted()) {
                    hotDone = now;
                }
                return;
            }
            if (!conversation.startsWith(prefix + "-o-")) {
                return;
            }
            int c = Integer.parseInt(conversation.substring(prefix.length() + 3));
            for (String id : Replies.answered(reply)) {
                int k = Integer.parseInt(id.substring(id.lastIndexOf("-m") + 2));
                int index = c * messages + k;
                if (receivedNanos[index] != 0) {
                    continue;
                }
                receivedNanos[index] = now;
                othersAnswered++;
                lastOtherReceived = now;
                answeredOfOther[c]++;
            }
            if (answeredOfOther[c] < messages && receivedNanos[c * messages + answeredOfOther[c]] == 0
                    && sentNanos[c * messages + answeredOfOther[c]] == 0) {
                sendOther(c, answeredOfOther[c]);
            }
        }

        private void hotReply(AgentReply reply) {
            List<String> ids = Replies.answered(reply);
            if (inboxFull.equals(reply.getText())) {
                inboxFullReplies++;
                ids.forEach(id -> {
                    known(id);
                    hotInboxFullReplied.add(id);
                });
                return;
            }
            turnReplies++;
            if (ids.size() > 1) {
                mergedReplies++;
            }
            largestMerge = Math.max(largestMerge, ids.size());
            ids.forEach(id -> {
                known(id);
                hotAnswered.merge(id, 1, Integer::sum);
            });
        }

        private void known(String id) {
            if (!id.startsWith(hotId + "-m")) {
                unknown.add(id);
                return;
            }
            int i = Integer.parseInt(id.substring(hotId.length() + 2));
            if (i < 0 || i >= hotMessages) {
                unknown.add(id);
            }
        }

        @Override
        public synchronized void deadLetter(String key, CustomerMessage message, String reason, long now) {
            if (key == null || !key.startsWith(prefix + "-")) {
                return;
            }
            if (key.equals(hotId) && message != null && reason != null && reason.startsWith("INBOX_FULL:")) {
                known(message.getMessageId());
                hotDeadLettered.merge(message.getMessageId(), 1, Integer::sum);
                if (hotDone == 0 && hotAccounted()) {
                    hotDone = now;
                }
            } else {
                otherDeadLetters++;
            }
        }

        private synchronized Run result(long start) {
            List<Double> all = new ArrayList<>();
            List<Double> duringHot = new ArrayList<>();
            Map<Integer, List<Double>> byPartition = new java.util.TreeMap<>();
            long hotEnd = hotDone == 0 ? Long.MAX_VALUE : hotDone;
            for (int i = 0; i < sentNanos.length; i++) {
                if (receivedNanos[i] == 0) {
                    continue;
                }
                double millis = (receivedNanos[i] - sentNanos[i]) / 1e6;
                all.add(millis);
                byPartition.computeIfAbsent(partitionOf(otherId(i / messages)), p -> new ArrayList<>()).add(millis);
                if (hotMessages > 0 && sentNanos[i] >= hotStart && sentNanos[i] <= hotEnd) {
                    duringHot.add(millis);
                }
            }
            Hot hot = null;
            if (hotMessages > 0) {
                Set<String> both = new HashSet<>(hotAnswered.keySet());
                both.retainAll(hotDeadLettered.keySet());
                Set<String> unmatched = new HashSet<>(hotInboxFullReplied);
                unmatched.removeAll(hotDeadLettered.keySet());
                Set<String> notReplied = new HashSet<>(hotDeadLettered.keySet());
                notReplied.removeAll(hotInboxFullReplied);
                hot = new Hot(hotMessages, hotAnswered.size(), hotDeadLettered.size(), both.size(),
                        (int) hotAnswered.values().stream().filter(n -> n > 1).count(),
                        (int) hotDeadLettered.values().stream().filter(n -> n > 1).count(), inboxFullReplies,
                        unmatched.size() + notReplied.size(), turnReplies, mergedReplies, largestMerge,
                        unknown.size(), hotDone == 0 ? Double.NaN : (hotDone - hotStart) / 1e9);
            }
            return new Run(hotMessages > 0 ? "with the hot conversation" : "without the hot conversation",
                    sentNanos.length, othersAnswered, Latencies.of(all),
                    Latencies.of(duringHot),
                    (lastOtherReceived - start) / 1e9, hot, otherDeadLetters,
                    byPartition.entrySet().stream().collect(java.util.stream.Collectors.toMap(Map.Entry::getKey,
                            entry -> Latencies.of(entry.getValue()),
                            (a, b) -> a, java.util.TreeMap::new)),
                    hotMessages > 0 ? partitionOf(hotId) : -1);
        }

        /** The input partition of a conversation: the producer's default partitioner for a keyed record. */
        private int partitionOf(String conversationId) {
            return org.apache.kafka.common.utils.Utils.toPositive(org.apache.kafka.common.utils.Utils.murmur2(
                    conversationId.getBytes(java.nio.charset.StandardCharsets.UTF_8))) % partitions;
        }
    }
}
