package io.helpstream.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.helpstream.config.ConfigException;
import io.helpstream.config.TracingSettings;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TracingSdkTest {

    @Test
    void should_run_no_sdk_when_tracing_is_off() {
        assertThat(TracingSdk.start(TracingSettings.off())).isSameAs(OpenTelemetry.noop());
    }

    @Test
    void should_build_the_sdk_the_variables_describe() {
        OpenTelemetry sdk = TracingSdk.start(new TracingSettings(true,
                Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", "http://127.0.0.1:4318")));
        try {
            assertThat(sdk).isInstanceOf(OpenTelemetrySdk.class);
        } finally {
            ((OpenTelemetrySdk) sdk).close();
        }
    }

    @Test
    void should_stop_start_up_naming_the_variables_when_the_sdk_refuses_them() {
        assertThatThrownBy(() -> TracingSdk.start(new TracingSettings(true,
                Map.of("OTEL_TRACES_EXPORTER", "carrier-pigeon"))))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("OTEL_*:")
                .hasMessageContaining("carrier-pigeon");
    }
}
