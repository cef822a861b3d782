package io.helpstream.conversation;

import io.helpstream.protection.DeadLetterPolicy;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import org.apache.kafka.streams.StreamsConfig;

/**
 * What Kafka Streams' exception handlers are told through the streams config: the dead-letter topic, and the
 * dead-letter policy under {@link DeadLetterPolicy#CONFIG} (the same object the processor writes its dead letters
 * with), and the registry dead letters are counted in under {@link #METERS}. Without a policy, dead letters keep
 * their payload.
 */
final class HandlerConfig {

    static final String METERS = "helpstream.meters";

    private String deadLetterTopic;
    private DeadLetterPolicy policy = DeadLetterPolicy.keep();
    private MeterRegistry meters;

    void configure(Map<String, ?> configs) {
        Object topic = configs.get(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG);
        deadLetterTopic = topic == null ? null : String.valueOf(topic);
        if (configs.get(DeadLetterPolicy.CONFIG) instanceof DeadLetterPolicy configured) {
            policy = configured;
        }
        if (configs.get(METERS) instanceof MeterRegistry registry) {
            meters = registry;
        }
    }

    MeterRegistry meters() {
        return meters;
    }

    String deadLetterTopic() {
        return deadLetterTopic;
    }

    DeadLetterPolicy policy() {
        return policy;
    }
}
