package io.helpstream.kafka;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.CreateTopicsOptions;
import org.apache.kafka.clients.admin.CreateTopicsResult;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates the topics an application needs, idempotently: a topic that already exists is accepted as long as it has
 * at least the partitions asked for. Fewer partitions is an error, because records keyed for one partition count
 * would land on other partitions than the state built for them.
 */
public final class TopicCreator {

    private static final Logger log = LoggerFactory.getLogger(TopicCreator.class);

    private final Admin admin;
    private final Duration timeout;

    /** @param timeout how long one {@link #ensureTopics} call may take in all */
    public TopicCreator(Admin admin, Duration timeout) {
        this.admin = Objects.requireNonNull(admin, "admin");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive, was " + timeout);
        }
    }

    /**
     * Creates every topic that does not exist yet and checks the ones that do.
     *
     * @return the names of the topics this call created
     * @throws TopicCreationException when a topic cannot be created, an existing one has too few partitions, or the
     *                                timeout passes; the message names every topic at fault
     */
    public Set<String> ensureTopics(List<TopicSpec> topics) {
        Map<String, TopicSpec> byName = indexByName(topics);
        if (byName.isEmpty()) {
            return Set.of();
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        CreateTopicsResult result = admin.createTopics(byName.values().stream().map(TopicSpec::toNewTopic).toList(),
                new CreateTopicsOptions().timeoutMs((int) Math.min(Integer.MAX_VALUE, timeout.toMillis())));

        Set<String> created = new LinkedHashSet<>();
        Set<String> existing = new LinkedHashSet<>();
        List<String> problems = new ArrayList<>();
        Throwable firstCause = null;
        for (Map.Entry<String, KafkaFuture<Void>> entry : result.values().entrySet()) {
            try {
                await(entry.getValue(), deadline, "creating topic " + entry.getKey());
                created.add(entry.getKey());
            } catch (ExecutionException e) {
                if (e.getCause() instanceof TopicExistsException) {
                    existing.add(entry.getKey());
                } else {
                    problems.add(entry.getKey() + ": " + e.getCause().getMessage());
                    firstCause = firstCause == null ? e.getCause() : firstCause;
                }
            }
        }
        problems.addAll(checkExisting(existing, byName, deadline));
        if (!problems.isEmpty()) {
            throw new TopicCreationException("Cannot set up Kafka topics: " + String.join("; ", problems), firstCause);
        }
        log.info("Kafka topics created: {}; already present: {}", created, existing);
        return Set.copyOf(created);
    }

    /** The number of partitions of an existing topic; one just created is waited for until the broker knows it. */
    public int partitions(String topic) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            try {
                return await(admin.describeTopics(List.of(topic)).allTopicNames(), deadline, "describing " + topic)
                        .get(topic).partitions().size();
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof UnknownTopicOrPartitionException) || System.nanoTime() > deadline) {
                    throw new TopicCreationException("Cannot describe topic " + topic + ": "
                            + e.getCause().getMessage(), e.getCause());
                }
                pause();
            }
        }
    }

    private static void pause() {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TopicCreationException("Interrupted while waiting for a topic", e);
        }
    }

    /**
     * Creates the control topic of an input topic if it does not exist, with as many partitions: a command must reach
     * the task of its conversation, whose number is the input partition's. An existing one with another number is
     * refused.
     */
    public void ensureAlongside(String input, String control, short replicationFactor) {
        int partitions = partitions(input);
        ensureTopics(List.of(TopicSpec.of(control, partitions, replicationFactor)));
        int found = partitions(control);
        if (found != partitions) {
            throw new TopicCreationException("Cannot set up Kafka topics: " + control + " has " + found
                    + " partitions but " + input + " has " + partitions + "; they must have as many (delete "
                    + control + ", helpstream creates it again)", null);
        }
    }

    /**
     * Refuses two topics of different partition counts: they are read by one processor, and a record of a key must
     * reach the same task through either (the agent actions and the customer messages, both by conversation id).
     */
    public void requireCoPartitioned(String input, String other) {
        int expected = partitions(input);
        int found = partitions(other);
        if (found != expected) {
            throw new TopicCreationException("Cannot set up Kafka topics: " + other + " has " + found
                    + " partitions but " + input + " has " + expected + "; they must have as many, so that the "
                    + "records of one conversation meet in one task", null);
        }
    }

    private List<String> checkExisting(Set<String> existing, Map<String, TopicSpec> wanted, long deadline) {
        if (existing.isEmpty()) {
            return List.of();
        }
        Map<String, TopicDescription> descriptions;
        try {
            descriptions = await(admin.describeTopics(existing).allTopicNames(), deadline, "describing " + existing);
        } catch (ExecutionException e) {
            throw new TopicCreationException("Cannot describe existing topics " + existing + ": "
                    + e.getCause().getMessage(), e.getCause());
        }
        List<String> problems = new ArrayList<>();
        for (TopicDescription description : descriptions.values()) {
            TopicSpec spec = wanted.get(description.name());
            int partitions = description.partitions().size();
            if (partitions < spec.partitions()) {
                problems.add(description.name() + " exists with " + partitions + " partitions but "
                        + spec.partitions() + " are required; add partitions or delete the topic");
            }
            int replicas = description.partitions().get(0).replicas().size();
            if (replicas != spec.replicationFactor()) {
                log.warn("Topic {} exists with replication factor {}, not the {} asked for",
                        description.name(), replicas, spec.replicationFactor());
            }
        }
        return problems;
    }

    private <T> T await(KafkaFuture<T> future, long deadline, String what) throws ExecutionException {
        try {
            return future.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            throw new TopicCreationException("Timed out after " + timeout + " " + what, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TopicCreationException("Interrupted while " + what, e);
        }
    }

    private static Map<String, TopicSpec> indexByName(List<TopicSpec> topics) {
        Objects.requireNonNull(topics, "topics");
        Map<String, TopicSpec> byName = new LinkedHashMap<>();
        Set<String> duplicates = new HashSet<>();
        for (TopicSpec topic : topics) {
            Objects.requireNonNull(topic, "topic");
            if (byName.putIfAbsent(topic.name(), topic) != null) {
                duplicates.add(topic.name());
            }
        }
        if (!duplicates.isEmpty()) {
            throw new IllegalArgumentException("Topics listed more than once: " + duplicates);
        }
        return byName;
    }
}
