package io.helpstream.bench;

import io.helpstream.app.Application;
import java.util.Map;
import java.util.Objects;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.metrics.KafkaMetric;
import org.apache.kafka.common.metrics.Sensor;

/**
 * Watches a running helpstream's Kafka Streams metrics ({@link Application#streamsMetrics()}) on a thread of its own:
 * the longest punctuation, and whether stream threads failed.
 *
 * <p>Two punctuation figures exist in Kafka Streams 4.3.1:
 * <ul>
 *   <li>{@code stream-task-metrics / punctuate-latency-max} (DEBUG recording level, nanoseconds): one punctuator
 *       call of one task, measured around the call in {@code StreamTask.punctuate}. That is the longest the stream
 *       thread was held by a single punctuation.</li>
 *   <li>{@code stream-thread-metrics / punctuate-latency-max} (INFO, milliseconds): per loop iteration of the
 *       thread, the time of all punctuators it ran divided by their number ({@code StreamThread}:
 *       {@code punctuateSensor.record(punctuateLatency / (double) punctuated, now)}), so it understates a long one
 *       that ran alongside short ones.</li>
 * </ul>
 * helpstream runs at the default INFO level; with {@code debug} the watch raises the recording level of the running
 * instance to DEBUG (the {@code MetricConfig} its sensors share, as {@code metrics.recording.level=DEBUG} would have
 * set it), so that the task-level figure is recorded. The metrics are windowed (two 30 s samples by default); the
 * watch reads them every {@code pollMillis} and keeps the largest value seen.
 */
final class StreamsWatch implements AutoCloseable {

    private final Application app;
    private final Thread poller;
    private volatile boolean closed;
    private double maxTaskPunctuateMs = Double.NaN;
    private double maxThreadPunctuateMs = Double.NaN;
    private long maxTaskPunctuateAtMillis;
    private int failedThreads;
    private int aliveThreads;

    StreamsWatch(Application app, boolean debug, long pollMillis) {
        this.app = Objects.requireNonNull(app, "app");
        if (debug) {
            for (Metric metric : app.streamsMetrics().values()) {
                if (metric instanceof KafkaMetric kafka) {
                    kafka.config().recordLevel(Sensor.RecordingLevel.DEBUG);
                }
            }
        }
        poll();
        this.poller = new Thread(() -> {
            while (!closed) {
                poll();
                StreamsRun.sleep(pollMillis);
            }
        }, "bench-streams-watch");
        poller.setDaemon(true);
        poller.start();
    }

    private synchronized void poll() {
        int failed = 0;
        int alive = 0;
        for (Map.Entry<MetricName, ? extends Metric> entry : app.streamsMetrics().entrySet()) {
            MetricName name = entry.getKey();
            double value = value(entry.getValue());
            if (Double.isNaN(value) || Double.isInfinite(value)) {
                continue;
            }
            if (name.group().equals("stream-task-metrics") && name.name().equals("punctuate-latency-max")) {
                double millis = value / 1e6;
                if (Double.isNaN(maxTaskPunctuateMs) || millis > maxTaskPunctuateMs) {
                    maxTaskPunctuateMs = millis;
                    maxTaskPunctuateAtMillis = System.currentTimeMillis();
                }
            } else if (name.group().equals("stream-thread-metrics") && name.name().equals("punctuate-latency-max")) {
                if (Double.isNaN(maxThreadPunctuateMs) || value > maxThreadPunctuateMs) {
                    maxThreadPunctuateMs = value;
                }
            } else if (name.group().equals("stream-metrics") && name.name().equals("failed-stream-threads")) {
                failed += (int) value;
            } else if (name.group().equals("stream-metrics") && name.name().equals("alive-stream-threads")) {
                alive += (int) value;
            }
        }
        failedThreads = failed;
        aliveThreads = alive;
    }

    private static double value(Metric metric) {
        Object value = metric.metricValue();
        return value instanceof Number number ? number.doubleValue() : Double.NaN;
    }

    /** The longest single punctuation seen (task level, DEBUG only), in milliseconds; NaN when none was recorded. */
    synchronized double maxTaskPunctuateMs() {
        poll();
        return maxTaskPunctuateMs;
    }

    /** When (wall clock, ms) the longest single punctuation was first seen by the watch. */
    synchronized long maxTaskPunctuateAtMillis() {
        return maxTaskPunctuateAtMillis;
    }

    /** The largest per-loop mean punctuation seen (thread level), in milliseconds; NaN when none was recorded. */
    synchronized double maxThreadPunctuateMs() {
        poll();
        return maxThreadPunctuateMs;
    }

    /** Forgets the maxima seen so far (the metrics' own windows still hold up to a minute of them). */
    synchronized void resetMaxima() {
        maxTaskPunctuateMs = Double.NaN;
        maxThreadPunctuateMs = Double.NaN;
    }

    /** {@code failed-stream-threads}: stream threads that died since the instance started. */
    synchronized int failedThreads() {
        poll();
        return failedThreads;
    }

    /** {@code alive-stream-threads}. */
    synchronized int aliveThreads() {
        poll();
        return aliveThreads;
    }

    @Override
    public void close() {
        closed = true;
        try {
            poller.join(2_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
