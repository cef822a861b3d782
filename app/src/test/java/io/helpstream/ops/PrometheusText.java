package io.helpstream.ops;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The samples of a Prometheus text exposition, by series ({@code name{labels}} as written), for asserting on what
 * {@code /metrics} shows.
 */
public final class PrometheusText {

    private final Map<String, Double> samples = new LinkedHashMap<>();

    public PrometheusText(String exposition) {
        for (String line : exposition.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            int split = line.lastIndexOf(' ');
            samples.put(line.substring(0, split), Double.parseDouble(line.substring(split + 1)));
        }
    }

    /** The sum of every series of {@code name} whose labels contain each of {@code labels} ({@code key="value"}). */
    public double sum(String name, String... labels) {
        return samples.entrySet().stream()
                .filter(sample -> nameOf(sample.getKey()).equals(name))
                .filter(sample -> {
                    for (String label : labels) {
                        if (!sample.getKey().contains(label)) {
                            return false;
                        }
                    }
                    return true;
                })
                .mapToDouble(Map.Entry::getValue).sum();
    }

    public boolean has(String name) {
        return samples.keySet().stream().anyMatch(series -> nameOf(series).equals(name));
    }

    private static String nameOf(String series) {
        int brace = series.indexOf('{');
        return brace < 0 ? series : series.substring(0, brace);
    }
}
