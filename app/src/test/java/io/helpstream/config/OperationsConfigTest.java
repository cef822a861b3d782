package io.helpstream.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The settings of the operations endpoint, each at its edges. */
class OperationsConfigTest {

    private static HelpstreamConfig read(String... pairs) {
        return HelpstreamConfigTest.read(pairs);
    }

    @Test
    void should_listen_on_port_8080_of_every_interface_without_a_conversation_endpoint_by_default() {
        HttpSettings http = read().http();

        assertThat(http.port()).contains(8080);
        assertThat(http.bind()).isEqualTo("0.0.0.0");
        assertThat(http.advertisedUrl()).isEmpty();
        assertThat(http.adminToken()).isEmpty();
        assertThat(http.checkTimeout()).isEqualTo(Duration.ofSeconds(2));
        assertThat(http.forwardTimeout()).isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void should_switch_the_endpoint_off_with_port_0_and_take_ports_up_to_65535() {
        assertThat(read("HELPSTREAM_HTTP_PORT", "0").http().enabled()).isFalse();
        assertThat(read("HELPSTREAM_HTTP_PORT", "1").http().port()).contains(1);
        assertThat(read("HELPSTREAM_HTTP_PORT", "65535").http().port()).contains(65_535);
        assertThatThrownBy(() -> read("HELPSTREAM_HTTP_PORT", "65536")).isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("HELPSTREAM_HTTP_PORT:");
        assertThatThrownBy(() -> read("HELPSTREAM_HTTP_PORT", "-1")).isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("HELPSTREAM_HTTP_PORT:");
    }

    @Test
    void should_refuse_a_bind_address_that_is_no_address() {
        assertThat(read("HELPSTREAM_HTTP_BIND", "127.0.0.1").http().bind()).isEqualTo("127.0.0.1");
        assertThat(read("HELPSTREAM_HTTP_BIND", "::1").http().bind()).isEqualTo("::1");
        assertThatThrownBy(() -> read("HELPSTREAM_HTTP_BIND", "no such host.invalid"))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("HELPSTREAM_HTTP_BIND:");
    }

    @Test
    void should_advertise_host_and_port_to_kafka_streams() {
        HttpSettings http = read("HELPSTREAM_ADVERTISED_URL", "http://helpstream-0.helpstream:8080").http();

        assertThat(http.advertisedUrl()).contains(URI.create("http://helpstream-0.helpstream:8080"));
        assertThat(http.applicationServer()).contains("helpstream-0.helpstream:8080");
        assertThat(read("HELPSTREAM_ADVERTISED_URL", "https://ops.example.com").http().applicationServer())
                .contains("ops.example.com:443");
        assertThat(read().http().applicationServer()).isEqualTo(Optional.empty());
    }

    @ParameterizedTest
    @CsvSource({"ftp://host:21", "host:8080", "http://"})
    void should_refuse_an_advertised_url_that_is_not_an_http_url(String url) {
        assertThatThrownBy(() -> read("HELPSTREAM_ADVERTISED_URL", url)).isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("HELPSTREAM_ADVERTISED_URL:");
    }

    @Test
    void should_refuse_an_advertised_url_when_the_endpoint_is_off() {
        assertThatThrownBy(() -> read("HELPSTREAM_ADVERTISED_URL", "http://a:8080", "HELPSTREAM_HTTP_PORT", "0"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("HELPSTREAM_HTTP_PORT=0 switches the endpoint off");
    }

    @Test
    void should_take_an_admin_token_of_24_characters_and_never_print_it() {
        String token = "a".repeat(24);
        HttpSettings http = read("HELPSTREAM_ADMIN_TOKEN", token).http();

        assertThat(http.adminToken()).isPresent();
        assertThat(http.adminToken().get().admits("Bearer " + token)).isTrue();
        assertThat(http.toString()).doesNotContain(token);
        assertThatThrownBy(() -> read("HELPSTREAM_ADMIN_TOKEN", "a".repeat(23)))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("HELPSTREAM_ADMIN_TOKEN: has 23 characters")
                .hasMessageNotContaining("a".repeat(23));
    }

    @Test
    void should_read_the_check_and_forward_timeouts_at_their_bounds() {
        HttpSettings low = read("HELPSTREAM_HEALTH_TIMEOUT", "100ms", "HELPSTREAM_HTTP_FORWARD_TIMEOUT", "100ms").http();
        HttpSettings high = read("HELPSTREAM_HEALTH_TIMEOUT", "1m", "HELPSTREAM_HTTP_FORWARD_TIMEOUT", "5m").http();

        assertThat(low.checkTimeout()).isEqualTo(Duration.ofMillis(100));
        assertThat(low.forwardTimeout()).isEqualTo(Duration.ofMillis(100));
        assertThat(high.checkTimeout()).isEqualTo(Duration.ofMinutes(1));
        assertThat(high.forwardTimeout()).isEqualTo(Duration.ofMinutes(5));
        assertThatThrownBy(() -> read("HELPSTREAM_HEALTH_TIMEOUT", "99ms")).isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("HELPSTREAM_HEALTH_TIMEOUT:");
        assertThatThrownBy(() -> read("HELPSTREAM_HEALTH_TIMEOUT", "61s")).isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("HELPSTREAM_HEALTH_TIMEOUT:");
        assertThatThrownBy(() -> read("HELPSTREAM_HTTP_FORWARD_TIMEOUT", "301s"))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("HELPSTREAM_HTTP_FORWARD_TIMEOUT:");
    }

    @Test
    void should_trace_only_when_an_exporter_is_asked_for_and_the_sdk_is_not_disabled() {
        assertThat(read().tracing().enabled()).isFalse();
        assertThat(read("OTEL_SERVICE_NAME", "support").tracing().enabled()).isFalse();
        assertThat(read("OTEL_TRACES_EXPORTER", "none").tracing().enabled()).isFalse();
        assertThat(read("OTEL_TRACES_EXPORTER", "otlp").tracing().enabled()).isTrue();
        assertThat(read("OTEL_EXPORTER_OTLP_ENDPOINT", "http://collector:4318").tracing().enabled()).isTrue();
        assertThat(read("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "http://collector:4318/v1/traces").tracing().enabled())
                .isTrue();
        assertThat(read("OTEL_EXPORTER_OTLP_ENDPOINT", "http://collector:4318", "OTEL_SDK_DISABLED", "true")
                .tracing().enabled()).isFalse();
        assertThatThrownBy(() -> read("OTEL_SDK_DISABLED", "perhaps")).isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("OTEL_SDK_DISABLED:");
    }

    @Test
    void should_hand_the_otel_variables_to_the_sdk_as_its_properties_over_helpstreams_defaults() {
        TracingSettings tracing = read("OTEL_EXPORTER_OTLP_ENDPOINT", "http://collector:4318",
                "OTEL_TRACES_SAMPLER", "parentbased_traceidratio", "OTEL_TRACES_SAMPLER_ARG", "0.1").tracing();

        assertThat(tracing.properties())
                .containsEntry("otel.exporter.otlp.endpoint", "http://collector:4318")
                .containsEntry("otel.traces.sampler", "parentbased_traceidratio")
                .containsEntry("otel.traces.sampler.arg", "0.1")
                .containsEntry("otel.service.name", "helpstream")
                .containsEntry("otel.metrics.exporter", "none")
                .containsEntry("otel.logs.exporter", "none");
        assertThat(read("OTEL_SERVICE_NAME", "support-eu").tracing().properties())
                .containsEntry("otel.service.name", "support-eu");
    }

    @Test
    void should_log_text_at_info_unless_told_otherwise_and_refuse_unknown_formats_and_levels() {
        assertThat(read().logs()).isEqualTo(new LogSettings(LogSettings.Format.TEXT, LogSettings.Level.INFO));
        assertThat(read("HELPSTREAM_LOG_FORMAT", "json").logs().format()).isEqualTo(LogSettings.Format.JSON);
        assertThat(read("HELPSTREAM_LOG_FORMAT", "JSON").logs().format().appender()).isEqualTo("JSON");
        assertThat(read("HELPSTREAM_LOG_LEVEL", "debug").logs().level()).isEqualTo(LogSettings.Level.DEBUG);
        assertThatThrownBy(() -> read("HELPSTREAM_LOG_FORMAT", "xml")).isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("HELPSTREAM_LOG_FORMAT: 'xml' is not one of [text, json]");
        assertThatThrownBy(() -> read("HELPSTREAM_LOG_LEVEL", "loud")).isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("HELPSTREAM_LOG_LEVEL:");
    }
}
