package io.helpstream.localstack.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Properties;
import kafka.server.KafkaConfig;
import org.junit.jupiter.api.Test;

class BrokerPropertiesTest {

    private final Properties props = BrokerProperties.of(Path.of("/tmp/kafka-logs"), 9092, 9093, 3);

    @Test
    void should_use_only_config_names_the_broker_knows() {
        // The broker ignores unknown names, so a misspelt setting would silently keep its default.
        assertThat(KafkaConfig.configDef().names()).containsAll(props.stringPropertyNames());
    }

    @Test
    void should_give_internal_topics_one_replica_and_the_asked_default_partitions() {
        KafkaConfig config = KafkaConfig.fromProps(props, false);

        assertThat(config.getShort("offsets.topic.replication.factor")).isEqualTo((short) 1);
        assertThat(config.getShort("transaction.state.log.replication.factor")).isEqualTo((short) 1);
        assertThat(config.getInt("transaction.state.log.min.isr")).isEqualTo(1);
        assertThat(config.getShort("share.coordinator.state.topic.replication.factor")).isEqualTo((short) 1);
        assertThat(config.getInt("num.partitions")).isEqualTo(3);
        assertThat(config.getBoolean("auto.create.topics.enable")).isFalse();
        assertThat(config.getInt("group.initial.rebalance.delay.ms")).isZero();
    }

    @Test
    void should_listen_on_loopback_for_clients_and_the_controller() {
        assertThat(props.getProperty("listeners"))
                .isEqualTo("PLAINTEXT://127.0.0.1:9092,CONTROLLER://127.0.0.1:9093");
        assertThat(props.getProperty("controller.quorum.voters")).isEqualTo("1@127.0.0.1:9093");
    }
}
