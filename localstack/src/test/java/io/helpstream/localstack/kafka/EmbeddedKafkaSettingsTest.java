package io.helpstream.localstack.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class EmbeddedKafkaSettingsTest {

    @Test
    void should_default_to_a_temporary_directory_and_one_partition() {
        EmbeddedKafkaSettings settings = EmbeddedKafkaSettings.defaults();

        assertThat(settings.logDirectory()).isEmpty();
        assertThat(settings.defaultPartitions()).isEqualTo(1);
    }

    @Test
    void should_keep_other_values_when_one_is_changed() {
        EmbeddedKafkaSettings settings = EmbeddedKafkaSettings.defaults()
                .withDefaultPartitions(4)
                .withLogDirectory(Path.of("/data/kafka"))
                .withStartupTimeout(Duration.ofSeconds(5));

        assertThat(settings).isEqualTo(
                new EmbeddedKafkaSettings(Optional.of(Path.of("/data/kafka")), 4, Duration.ofSeconds(5)));
    }

    @Test
    void should_reject_less_than_one_partition_and_a_non_positive_timeout() {
        assertThatThrownBy(() -> EmbeddedKafkaSettings.defaults().withDefaultPartitions(0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("defaultPartitions");
        assertThatThrownBy(() -> EmbeddedKafkaSettings.defaults().withStartupTimeout(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("startupTimeout");
    }
}
