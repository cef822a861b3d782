package io.helpstream.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.Test;

class TopicSpecTest {

    @Test
    void should_carry_partitions_replicas_and_configs_into_the_admin_request() {
        NewTopic topic = TopicSpec.of("replies", 6, (short) 3)
                .withConfigs(Map.of("cleanup.policy", "compact"))
                .toNewTopic();

        assertThat(topic.name()).isEqualTo("replies");
        assertThat(topic.numPartitions()).isEqualTo(6);
        assertThat(topic.replicationFactor()).isEqualTo((short) 3);
        assertThat(topic.configs()).containsExactly(Map.entry("cleanup.policy", "compact"));
    }

    @Test
    void should_not_change_when_the_callers_config_map_changes() {
        Map<String, String> configs = new HashMap<>(Map.of("retention.ms", "1000"));
        TopicSpec spec = TopicSpec.of("events", 1, (short) 1).withConfigs(configs);

        configs.put("retention.ms", "5");

        assertThat(spec.configs()).containsEntry("retention.ms", "1000");
    }

    @Test
    void should_reject_no_partitions_no_replicas_and_a_blank_name() {
        assertThatThrownBy(() -> TopicSpec.of("t", 0, (short) 1)).hasMessageContaining("partitions of t");
        assertThatThrownBy(() -> TopicSpec.of("t", 1, (short) 0)).hasMessageContaining("replication factor of t");
        assertThatThrownBy(() -> TopicSpec.of(" ", 1, (short) 1)).hasMessageContaining("blank");
    }
}
