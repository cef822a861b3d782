package io.helpstream.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One read of a helpstream's {@code /metrics} (Prometheus text format): each sample by its name and labels as written,
 * e.g. {@code helpstream_punctuation_seconds_bucket{kind="expiry",le="0.05"}}. For a helpstream run as a process of
 * its own, whose meters the benchmark cannot read in memory.
 */
final class MetricsScrape {

    private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][\\w:]*)(\\{[^}]*\\})?\\s+(\\S+)");
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final Map<String, Double> samples;

    private MetricsScrape(Map<String, Double> samples) {
        this.samples = samples;
    }

    static MetricsScrape of(URI metrics) throws IOException, InterruptedException {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(metrics).timeout(Duration.ofSeconds(5))
                .GET().build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IOException(metrics + " answered " + response.statusCode());
        }
        return parse(response.body());
    }

    static MetricsScrape parse(String text) {
        Map<String, Double> samples = new LinkedHashMap<>();
        for (String line : text.split("\n")) {
            if (line.startsWith("#")) {
                continue;
            }
            Matcher sample = SAMPLE.matcher(line);
            if (sample.find()) {
                String labels = sample.group(2) == null ? "" : sample.group(2).replace(",}", "}");
                samples.put(sample.group(1) + labels, Double.parseDouble(sample.group(3)));
            }
        }
        return new MetricsScrape(samples);
    }

    /** The first sample of {@code name} whose labels contain every one of {@code labels} ({@code kind="expiry"}). */
    double value(String name, String... labels) {
        for (Map.Entry<String, Double> sample : samples.entrySet()) {
            String key = sample.getKey();
            if (!key.equals(name) && !key.startsWith(name + "{")) {
                continue;
            }
            boolean all = true;
            for (String label : labels) {
                all &= key.contains(label);
            }
            if (all) {
                return sample.getValue();
            }
        }
        return Double.NaN;
    }
}
