package io.helpstream.bench;

import java.util.Arrays;
import java.util.Collection;

/** Latencies of one measurement, in milliseconds, with their percentiles. */
record Latencies(int count, double p50, double p99, double max, double mean) {

    static final Latencies NONE = new Latencies(0, Double.NaN, Double.NaN, Double.NaN, Double.NaN);

    static Latencies of(Collection<Double> millis) {
        return of(millis.stream().mapToDouble(Double::doubleValue).toArray());
    }

    static Latencies of(double[] millis) {
        if (millis.length == 0) {
            return NONE;
        }
        double[] sorted = millis.clone();
        Arrays.sort(sorted);
        return new Latencies(sorted.length, percentile(sorted, 0.50), percentile(sorted, 0.99),
                sorted[sorted.length - 1], Arrays.stream(sorted).average().orElse(Double.NaN));
    }

    /** Nearest-rank percentile. */
    private static double percentile(double[] sorted, double quantile) {
        int rank = (int) Math.ceil(quantile * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }

    @Override
    public String toString() {
        return String.format("p50 %.1f ms, p99 %.1f ms, max %.1f ms (n=%d)", p50, p99, max, count);
    }
}
