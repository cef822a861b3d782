package io.helpstream.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * {@code docker-compose.yml} stays true to helpstream: every variable it sets for the processor is one the
 * configuration reads (with the values compose would give it), and the monitoring profile's files exist and parse.
 */
class ComposeFileTest {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    /** {@code ${NAME:-default}}, {@code ${NAME-default}} and {@code ${NAME}} as compose interpolates them. */
    private static final Pattern INTERPOLATION = Pattern.compile("\\$\\{([A-Z0-9_]+)(?::?-([^}]*))?}");

    private static JsonNode compose() throws IOException {
        return YAML.readTree(ROOT.resolve("docker-compose.yml").toFile());
    }

    @Test
    void should_set_only_variables_helpstream_reads_for_the_processor() throws IOException {
        JsonNode environment = compose().path("services").path("processor").path("environment");
        Map<String, String> variables = new HashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> fields = environment.fields(); fields.hasNext(); ) {
            Map.Entry<String, JsonNode> field = fields.next();
            // A variable listed without a value is passed through from the shell: unset here.
            variables.put(field.getKey(), field.getValue().isNull() ? null : interpolated(field.getValue().asText()));
        }
        Map<String, String> set = new HashMap<>();
        variables.forEach((name, value) -> {
            if (value != null && !value.isEmpty()) {
                set.put(name, value);
            }
        });
        Env env = new Env(set);

        HelpstreamConfig.fromEnvironment(env);

        assertThat(variables.keySet()).isNotEmpty().allSatisfy(name -> assertThat(env.reads(name))
                .as("%s, set for the processor in docker-compose.yml, is read by helpstream", name).isTrue());
    }

    @Test
    void should_provision_prometheus_and_grafana_with_helpstreams_dashboard_in_the_monitoring_profile()
            throws IOException {
        JsonNode services = compose().path("services");

        for (String service : List.of("prometheus", "grafana")) {
            assertThat(services.path(service).path("profiles").toString()).as(service).contains("monitoring");
            for (JsonNode volume : services.path(service).path("volumes")) {
                String source = volume.asText().split(":")[0];
                assertThat(ROOT.resolve(source)).as("%s mounts %s", service, source).exists();
            }
        }
        JsonNode prometheus = YAML.readTree(ROOT.resolve("monitoring/prometheus.yml").toFile());
        assertThat(prometheus.path("scrape_configs").get(0).path("metrics_path").asText()).isEqualTo("/metrics");
        assertThat(prometheus.path("scrape_configs").get(0).path("static_configs").get(0).path("targets").get(0)
                .asText()).isEqualTo("processor:8080");
        JsonNode dashboard = new ObjectMapper().readTree(
                Files.readString(ROOT.resolve("monitoring/grafana/dashboards/helpstream.json")));
        List<String> titles = dashboard.path("panels").findValuesAsText("title");
        assertThat(titles).contains("Turns by result", "Turn latency", "Model tokens", "Model calls and errors",
                "Degraded replies", "Consumer lag", "Inbox depth", "Cache hit ratio", "Dead letters by reason");
        assertThat(dashboard.path("panels")).allSatisfy(panel -> assertThat(panel.path("targets")).isNotEmpty());
    }

    private static String interpolated(String value) {
        Matcher matcher = INTERPOLATION.matcher(value);
        StringBuilder out = new StringBuilder();
        while (matcher.find()) {
            matcher.appendReplacement(out, Matcher.quoteReplacement(matcher.group(2) == null ? ""
                    : matcher.group(2)));
        }
        matcher.appendTail(out);
        return out.toString();
    }
}
