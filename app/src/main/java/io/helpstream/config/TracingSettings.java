package io.helpstream.config;

import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Tracing as the standard OpenTelemetry variables ({@code OTEL_*}) configure it, read by the SDK's autoconfiguration.
 * Off unless an exporter is asked for: {@code OTEL_TRACES_EXPORTER} (other than {@code none}),
 * {@code OTEL_EXPORTER_OTLP_ENDPOINT} or {@code OTEL_EXPORTER_OTLP_TRACES_ENDPOINT}; {@code OTEL_SDK_DISABLED=true}
 * switches it off whatever else is set. Without it, spans are not recorded, but the W3C trace context still travels
 * from a message to its reply.
 *
 * @param variables the {@code OTEL_*} variables as set
 */
public record TracingSettings(boolean enabled, Map<String, String> variables) {

    public TracingSettings {
        variables = Map.copyOf(Objects.requireNonNull(variables, "variables"));
    }

    static TracingSettings fromEnvironment(Env env) {
        Map<String, String> variables = env.withPrefix("OTEL_");
        boolean disabled = env.bool("OTEL_SDK_DISABLED", false);
        boolean exporter = variables.containsKey("OTEL_EXPORTER_OTLP_ENDPOINT")
                || variables.containsKey("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT")
                || !variables.getOrDefault("OTEL_TRACES_EXPORTER", "none").equalsIgnoreCase("none");
        return new TracingSettings(!disabled && exporter, variables);
    }

    public static TracingSettings off() {
        return new TracingSettings(false, Map.of());
    }

    /**
     * The variables as the SDK's configuration properties ({@code OTEL_EXPORTER_OTLP_ENDPOINT} is
     * {@code otel.exporter.otlp.endpoint}), over helpstream's defaults: the service is {@code helpstream}, OTLP goes
     * over HTTP ({@code http/protobuf}, sent with the JDK's client; gRPC is not bundled), and only traces are
     * exported (metrics go to the Prometheus endpoint; logs to standard error).
     */
    public Map<String, String> properties() {
        Map<String, String> properties = new TreeMap<>();
        properties.put("otel.service.name", "helpstream");
        properties.put("otel.exporter.otlp.protocol", "http/protobuf");
        properties.put("otel.metrics.exporter", "none");
        properties.put("otel.logs.exporter", "none");
        variables.forEach((name, value) -> properties.put(name.toLowerCase(Locale.ROOT).replace('_', '.'), value));
        return properties;
    }
}
