package io.helpstream.app;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.List;
import org.apache.kafka.streams.KafkaStreams;

/**
 * The meters that are not helpstream's own, bound to the one registry everything goes to: the Kafka Streams client's
 * metrics (consumer lag, commit latency, process rate, ...), the JVM's and the process's, and the tasks this instance
 * holds.
 */
public final class Metrics {

    static final String TASKS = "helpstream.streams.tasks";

    private Metrics() {
    }

    /** A registry the operations endpoint can serve in the Prometheus text format. */
    public static PrometheusMeterRegistry prometheus() {
        return new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    }

    /** Binds the streams client's and the JVM's meters; what it returns is to be closed with the application. */
    static List<AutoCloseable> bind(KafkaStreams streams, MeterRegistry registry) {
        KafkaStreamsMetrics kafka = new KafkaStreamsMetrics(streams);
        kafka.bindTo(registry);
        JvmGcMetrics gc = new JvmGcMetrics();
        gc.bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new JvmMemoryMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        new FileDescriptorMetrics().bindTo(registry);
        Gauge.builder(TASKS, streams, s -> tasks(s, false)).tag("kind", "active")
                .description("Stream tasks this instance runs").register(registry);
        Gauge.builder(TASKS, streams, s -> tasks(s, true)).tag("kind", "standby")
                .description("Standby tasks this instance keeps").register(registry);
        return List.of(kafka, gc);
    }

    private static double tasks(KafkaStreams streams, boolean standby) {
        try {
            return streams.metadataForLocalThreads().stream()
                    .mapToInt(thread -> (standby ? thread.standbyTasks() : thread.activeTasks()).size()).sum();
        } catch (RuntimeException e) {
            // Not started yet, or closed.
            return 0;
        }
    }
}
