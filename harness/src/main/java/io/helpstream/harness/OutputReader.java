package io.helpstream.harness;

import io.helpstream.client.ClientProperties;
import io.helpstream.contract.Replies;
import io.helpstream.contract.StoredConversations;
import io.helpstream.contract.Topics;
import io.helpstream.schema.AgentReply;
import io.helpstream.schema.ConversationState;
import io.helpstream.schema.HandoffEvent;
import io.helpstream.schema.TicketEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads the processor's output from offset 0 with {@code read_committed}, as any downstream consumer would: what an
 * aborted transaction wrote (a killed processor's open transaction) is never seen. Keeps every record, duplicates
 * included, in partition order. Not thread-safe.
 */
final class OutputReader implements AutoCloseable {

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final String repliesTopic;
    private final String ticketEventsTopic;
    private final String handoffsTopic;
    private final List<HandoffEvent> handoffs = new ArrayList<>();
    private final List<AgentReply> replies = new ArrayList<>();
    private final Set<String> answered = new HashSet<>();
    private final List<TicketEvent> ticketEvents = new ArrayList<>();
    private final StoredConversations stored = new StoredConversations();
    private final List<TopicPartition> partitions = new ArrayList<>();

    /**
     * @param applicationId the processor's, to read its conversation changelogs; null not to read them
     */
    OutputReader(String bootstrapServers, Topics topics, String applicationId) {
        Properties props = ClientProperties.readCommittedConsumer(bootstrapServers);
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 2000);
        this.consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        this.repliesTopic = topics.agentReplies().name();
        this.ticketEventsTopic = topics.ticketEvents().name();
        this.handoffsTopic = topics.handoffs().name();
        List<String> read = new ArrayList<>(List.of(repliesTopic, ticketEventsTopic, handoffsTopic));
        if (applicationId != null) {
            read.addAll(StoredConversations.changelogs(applicationId));
        }
        for (String topic : read) {
            consumer.partitionsFor(topic, Duration.ofSeconds(30))
                    .forEach(info -> partitions.add(new TopicPartition(topic, info.partition())));
        }
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
    }

    void poll(Duration duration) {
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(duration)) {
            if (record.topic().equals(repliesTopic)) {
                AgentReply reply = Topics.AGENT_REPLY.decode(record.value());
                replies.add(reply);
                answered.addAll(Replies.answered(reply));
            } else if (record.topic().equals(ticketEventsTopic)) {
                ticketEvents.add(Topics.TICKET_EVENT.decode(record.value()));
            } else if (record.topic().equals(handoffsTopic)) {
                handoffs.add(Topics.HANDOFF_EVENT.decode(record.value()));
            } else {
                stored.accept(record.topic(), record.key(), record.value());
            }
        }
    }

    /** Reads until every partition is consumed up to its last stable offset, as of this call. */
    void readToEnd(Duration timeout) {
        Map<TopicPartition, Long> end = consumer.endOffsets(partitions, timeout);
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!end.entrySet().stream().allMatch(e -> consumer.position(e.getKey()) >= e.getValue())) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("could not read the output topics to their end within " + timeout);
            }
            poll(Duration.ofMillis(200));
        }
    }

    /** Message ids that have at least one reply. */
    Set<String> answered() {
        return answered;
    }

    List<AgentReply> replies() {
        return replies;
    }

    List<TicketEvent> ticketEvents() {
        return ticketEvents;
    }

    List<HandoffEvent> handoffs() {
        return handoffs;
    }

    /** The latest committed state of each conversation in the conversation changelogs. */
    Map<String, ConversationState> states() {
        return stored.conversations();
    }

    @Override
    public void close() {
        consumer.close(Duration.ofSeconds(5));
    }
}
