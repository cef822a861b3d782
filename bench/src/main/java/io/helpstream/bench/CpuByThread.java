package io.helpstream.bench;

import java.lang.management.CompilationMXBean;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * CPU time this JVM's threads spent between two snapshots, by kind of thread (their names say what they do): where
 * a design's time per record goes. Threads that ended in between are not counted.
 */
final class CpuByThread {

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private final Map<Long, Long> cpuById;
    private final Map<Long, String> kindById;
    private final long processNanos;
    private final long gcPauseMillis;
    private final long gcCount;
    private final long jitMillis;

    private CpuByThread(Map<Long, Long> cpuById, Map<Long, String> kindById, long processNanos, long gcPauseMillis,
                        long gcCount, long jitMillis) {
        this.cpuById = cpuById;
        this.kindById = kindById;
        this.processNanos = processNanos;
        this.gcPauseMillis = gcPauseMillis;
        this.gcCount = gcCount;
        this.jitMillis = jitMillis;
    }

    static CpuByThread snapshot() {
        Map<Long, Long> cpu = new HashMap<>();
        Map<Long, String> kind = new HashMap<>();
        for (ThreadInfo info : THREADS.getThreadInfo(THREADS.getAllThreadIds())) {
            if (info == null) {
                continue;
            }
            long nanos = THREADS.getThreadCpuTime(info.getThreadId());
            if (nanos >= 0) {
                cpu.put(info.getThreadId(), nanos);
                kind.put(info.getThreadId(), kindOf(info.getThreadName()));
            }
        }
        long gcMillis = 0;
        long collections = 0;
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            gcMillis += Math.max(0, gc.getCollectionTime());
            collections += Math.max(0, gc.getCollectionCount());
        }
        CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
        long jitMillis = jit != null && jit.isCompilationTimeMonitoringSupported() ? jit.getTotalCompilationTime() : 0;
        return new CpuByThread(cpu, kind, processCpuNanos(), gcMillis, collections, jitMillis);
    }

    /** Microseconds of CPU per unit of work since {@code before}, by kind, and for the whole process. */
    String perUnitSince(CpuByThread before, long units) {
        Map<String, Long> byKind = new TreeMap<>();
        cpuById.forEach((id, nanos) -> byKind.merge(kindById.get(id), nanos - before.cpuById.getOrDefault(id, 0L),
                Long::sum));
        String kinds = byKind.entrySet().stream().filter(entry -> entry.getValue() > 0)
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .map(entry -> String.format(Locale.ROOT, "%s %.0f", entry.getKey(), micros(entry.getValue(), units)))
                .collect(Collectors.joining(", "));
        return String.format(Locale.ROOT, "%.0f µs of CPU per record in this JVM (Java threads: %s; the rest is the "
                        + "JVM's own threads: %d collections, %d ms of GC pauses, %d ms of JIT compilation)",
                micros(processNanos - before.processNanos, units), kinds, gcCount - before.gcCount,
                gcPauseMillis - before.gcPauseMillis, jitMillis - before.jitMillis);
    }

    private static double micros(long nanos, long units) {
        return nanos / 1_000.0 / Math.max(1, units);
    }

    private static String kindOf(String name) {
        if (name.startsWith("helpstream-turn")) {
            return "turns";
        }
        if (name.startsWith("kafka-producer-network-thread")) {
            return "producer I/O";
        }
        if (name.contains("StreamThread")) {
            return "stream thread";
        }
        if (name.startsWith("lettuce")) {
            return "Redis client";
        }
        if (name.startsWith("bench-")) {
            return "load driver";
        }
        if (name.startsWith("HikariPool") || name.startsWith("PostgreSQL")) {
            return "database pool";
        }
        if (name.startsWith("data-plane") || name.startsWith("kafka-") || name.contains("broker")
                || name.contains("raft") || name.contains("controller")) {
            return "broker (in this JVM)";
        }
        if (name.startsWith("GC") || name.startsWith("G1") || name.contains("Compiler")) {
            return "JVM";
        }
        return "other";
    }

    private static long processCpuNanos() {
        return ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os
                ? os.getProcessCpuTime() : -1;
    }
}
