package io.helpstream.conversation;

import io.helpstream.protection.DeadLetterPolicy;
import java.util.Map;
import org.apache.kafka.streams.StreamsConfig;

/**
 * What Kafka Streams' exception handlers are told through the streams config: the dead-letter topic, and the
 * dead-letter policy under {@link DeadLetterPolicy#CONFIG} (the same object the processor writes its dead letters
 * with). Without a policy, dead letters keep their payload.
 */
final class HandlerConfig {

    private String deadLetterTopic;
    private DeadLetterPolicy policy = DeadLetterPolicy.keep();

    void configure(Map<String, ?> configs) {
        Object topic = configs.get(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG);
        deadLetterTopic = topic == null ? null : String.valueOf(topic);
        if (configs.get(DeadLetterPolicy.CONFIG) instanceof DeadLetterPolicy configured) {
            policy = configured;
        }
    }

    String deadLetterTopic() {
        return deadLetterTopic;
    }

    DeadLetterPolicy policy() {
        return policy;
    }
}
