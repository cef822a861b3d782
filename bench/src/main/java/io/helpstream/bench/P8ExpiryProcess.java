package io.helpstream.bench;

import io.helpstream.localstack.ThrowawayEnvironment;
import io.helpstream.localstack.process.HelpstreamProcess;
import io.helpstream.localstack.process.ProcessSettings;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * P8's measured instance as a process of its own ({@code --p8-process}): the jar's {@code run} on the filled state
 * with the offline model, its HTTP endpoint on a free loopback port. Its punctuation timer
 * ({@code helpstream_punctuation_seconds{kind}}: every punctuator of the conversation processor, timed around its
 * whole call) is read from {@code /metrics} twice a second, keeping the largest maximum seen (the exported maximum
 * covers a sliding window), and its bucket counts at the end say how many steps passed 10, 20, 50 and 100 ms. The
 * benchmark's JVM (load driver, broker unless {@code --broker-process}) collects its garbage apart.
 */
final class P8ExpiryProcess {

    private static final String TIMER = "helpstream_punctuation_seconds";
    private static final String[] KINDS = {"expiry", "apply"};
    private static final String[] BUCKETS = {"0.01", "0.02", "0.05", "0.1"};

    private P8ExpiryProcess() {
    }

    static P8Expiry.Result measure(ThrowawayEnvironment env, P8Expiry.Options options, PhaseResult fill,
                                   HelpstreamUnderTest measured, P8Expiry.Side side, Report report) throws Exception {
        int port = freePort();
        Path log = env.directory("p8-measured").resolve("helpstream.log");
        Map<String, String> vars = new LinkedHashMap<>(measured.environment());
        vars.put("HELPSTREAM_HTTP_PORT", Integer.toString(port));
        vars.put("HELPSTREAM_HTTP_BIND", "127.0.0.1");
        URI metrics = URI.create("http://127.0.0.1:" + port + "/metrics");
        report.line("measured instance: a process of its own (offline model, -Xmx2g), /metrics at %s, log %s",
                metrics, log);
        Map<String, Double> longest = new LinkedHashMap<>();
        try (ChatGateway gateway = new ChatGateway(env.bootstrapServers(), measured.topics(), side);
             HelpstreamProcess process = new HelpstreamProcess(ProcessSettings.thisClassPath(vars, log)
                     .withJvmOptions(jvmOptions()))) {
            side.gateway = gateway;
            long restart = System.nanoTime();
            process.start();
            if (!process.awaitRunning(Duration.ofMinutes(5))) {
                throw new IllegalStateException("the measured instance did not reach RUNNING: " + process.logTail());
            }
            double restartSeconds = (System.nanoTime() - restart) / 1e9;
            report.line("- restart to RUNNING: %.2f s", restartSeconds);
            side.awaitEnds(restart, 500, () -> keepLongest(scrape(metrics), longest), report);
            MetricsScrape last = MetricsScrape.of(metrics);
            keepLongest(last, longest);
            for (String kind : KINDS) {
                double count = last.value(TIMER + "_count", kind(kind));
                double sum = last.value(TIMER + "_sum", kind(kind));
                StringBuilder over = new StringBuilder();
                for (String bucket : BUCKETS) {
                    double within = last.value(TIMER + "_bucket", kind(kind), "le=\"" + bucket + "\"");
                    over.append(over.length() == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%.0f ms: %.0f",
                            Double.parseDouble(bucket) * 1000, count - within));
                }
                report.line("- %s punctuations (helpstream.punctuation{kind=%s}, read from /metrics): %.0f, mean "
                                + "%.1f ms, longest %.1f ms; longer than %s", kind, kind, count, sum / count * 1000,
                        longest.getOrDefault(kind, Double.NaN) * 1000, over);
            }
            // Both kinds' longest, in ms; the thread-level figure and the failed threads are not read from /metrics.
            double longestMs = longest.values().stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN)
                    * 1000;
            Latencies[] phases = side.latencies();
            P8Expiry.Result result = new P8Expiry.Result(options, fill, restartSeconds, side.ended(),
                    side.duplicates(), side.expirySeconds(), longestMs, Double.NaN,
                    last.value("helpstream_conversations_ended_total"), phases[0], phases[1], phases[2], -1,
                    errorLines(log));
            P8Expiry.reportEnds(result, report);
            report.line("- longest punctuation (helpstream.punctuation, every punctuator of the conversation "
                    + "processor): %.1f ms", result.maxPunctuationMs());
            report.line("- side conversations' reply latency: before the expiry %s; during %s; after %s",
                    result.sideBefore(), result.sideDuring(), result.sideAfter());
            report.line("- %d ERROR lines in the measured instance's log", result.errorLogs());
            P8Expiry.goals(result, side, report);
            process.stop(HelpstreamProcess.STOP_GRACE);
            return result;
        }
    }

    /** {@code -Xmx2g}, and whatever {@code HELPSTREAM_BENCH_P8_JVM_OPTIONS} adds (e.g. a flight recording). */
    private static String[] jvmOptions() {
        String extra = System.getenv().getOrDefault("HELPSTREAM_BENCH_P8_JVM_OPTIONS", "").trim();
        return extra.isEmpty() ? new String[]{"-Xmx2g"}
                : Stream.concat(Stream.of("-Xmx2g"), Stream.of(extra.split("\\s+"))).toArray(String[]::new);
    }

    private static MetricsScrape scrape(URI metrics) {
        try {
            return MetricsScrape.of(metrics);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("could not read " + metrics, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted reading " + metrics, e);
        }
    }

    private static String kind(String kind) {
        return "kind=\"" + kind + "\"";
    }

    private static void keepLongest(MetricsScrape scrape, Map<String, Double> longest) {
        for (String kind : KINDS) {
            double max = scrape.value(TIMER + "_max", kind(kind));
            if (!Double.isNaN(max)) {
                longest.merge(kind, max, Math::max);
            }
        }
    }

    private static int errorLines(Path log) throws IOException {
        try (Stream<String> lines = Files.lines(log)) {
            return (int) lines.filter(line -> line.contains(" ERROR ")).count();
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
