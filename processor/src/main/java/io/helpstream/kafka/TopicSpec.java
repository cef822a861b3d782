package io.helpstream.kafka;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.apache.kafka.clients.admin.NewTopic;

/**
 * A topic the application needs.
 *
 * @param configs topic-level overrides such as {@code cleanup.policy=compact}
 */
public record TopicSpec(String name, int partitions, short replicationFactor, Map<String, String> configs) {

    public TopicSpec {
        Objects.requireNonNull(name, "name");
        if (name.isBlank()) {
            throw new IllegalArgumentException("topic name must not be blank");
        }
        if (partitions < 1) {
            throw new IllegalArgumentException("partitions of " + name + " must be >= 1, was " + partitions);
        }
        if (replicationFactor < 1) {
            throw new IllegalArgumentException(
                    "replication factor of " + name + " must be >= 1, was " + replicationFactor);
        }
        configs = Map.copyOf(Objects.requireNonNull(configs, "configs"));
    }

    public static TopicSpec of(String name, int partitions, short replicationFactor) {
        return new TopicSpec(name, partitions, replicationFactor, Map.of());
    }

    public TopicSpec withConfigs(Map<String, String> topicConfigs) {
        return new TopicSpec(name, partitions, replicationFactor, topicConfigs);
    }

    NewTopic toNewTopic() {
        return new NewTopic(name, Optional.of(partitions), Optional.of(replicationFactor)).configs(configs);
    }
}
