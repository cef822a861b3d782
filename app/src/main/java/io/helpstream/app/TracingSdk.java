package io.helpstream.app;

import io.helpstream.config.ConfigException;
import io.helpstream.config.TracingSettings;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.spi.ConfigurationException;

/**
 * The OpenTelemetry SDK as the {@code OTEL_*} variables configure it (the SDK's own autoconfiguration: OTLP by
 * default, sampler, resource, batch processor), or none when tracing is off. Not registered as the global instance:
 * each application has its own, closed (and flushed) with it.
 */
final class TracingSdk {

    private TracingSdk() {
    }

    /** The SDK for the settings; {@link OpenTelemetry#noop()} when tracing is off. */
    static OpenTelemetry start(TracingSettings settings) {
        if (!settings.enabled()) {
            return OpenTelemetry.noop();
        }
        try {
            OpenTelemetrySdk sdk = AutoConfiguredOpenTelemetrySdk.builder()
                    .addPropertiesSupplier(settings::properties)
                    .disableShutdownHook()
                    .build()
                    .getOpenTelemetrySdk();
            return sdk;
        } catch (ConfigurationException e) {
            throw new ConfigException("OTEL_*", e.getMessage()
                    + (e.getCause() == null ? "" : " (" + e.getCause() + ")"));
        }
    }
}
