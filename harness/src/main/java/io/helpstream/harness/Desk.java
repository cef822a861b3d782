package io.helpstream.harness;

import io.helpstream.client.ClientProperties;
import io.helpstream.contract.Topics;
import io.helpstream.schema.AgentAction;
import io.helpstream.schema.AgentActionType;
import io.helpstream.schema.HandoffEvent;
import io.helpstream.schema.HandoffEventType;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * A human agent at the desk, as the crash test plays one: follows {@code support.handoffs} with {@code read_committed}
 * (what a killed processor's open transaction wrote is never seen) and answers on {@code support.agent-actions}. It
 * accepts each handoff of the workload, replies to each message the customer writes to it, and after the reply to
 * the last of the workload's {@link PlannedMessage.Kind#TO_HUMAN} messages gives the conversation back to the bot.
 * Every action id derives from what caused it, so the actions are the same whatever the processor went through.
 *
 * <p>Runs on its own thread from {@link #start()} to {@link #close()}.
 */
final class Desk implements AutoCloseable {

    static final String AGENT = "crash-desk";

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final KafkaProducer<String, byte[]> producer;
    private final String actionsTopic;
    private final Map<String, PlannedMessage> planned = new HashMap<>();
    private final Set<String> accepted = new HashSet<>();
    private final Set<String> released = new HashSet<>();
    /** Every action sent, in sending order; read after {@link #close()}. */
    private final List<AgentAction> sent = new ArrayList<>();
    private final Set<String> sentIds = new HashSet<>();
    private final AtomicReference<Exception> failure = new AtomicReference<>();
    private final Thread thread;
    private volatile boolean running = true;

    Desk(String bootstrapServers, Topics topics, Workload workload) {
        workload.messages().forEach(message -> planned.put(message.messageId(), message));
        Properties props = ClientProperties.readCommittedConsumer(bootstrapServers);
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 500);
        this.consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        List<TopicPartition> partitions = consumer.partitionsFor(topics.handoffs().name(), Duration.ofSeconds(30))
                .stream().map(info -> new TopicPartition(info.topic(), info.partition())).toList();
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        this.producer = new KafkaProducer<>(ClientProperties.gatewayProducer(bootstrapServers), new StringSerializer(),
                new ByteArraySerializer());
        this.actionsTopic = topics.agentActions().name();
        this.thread = new Thread(this::run, "crash-desk");
        thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    private void run() {
        try {
            while (running) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    on(Topics.HANDOFF_EVENT.decode(record.value()));
                }
                producer.flush();
            }
        } catch (WakeupException e) {
            // close() woke the poll.
        } catch (Exception e) {
            failure.compareAndSet(null, e);
        }
    }

    private void on(HandoffEvent event) {
        String conversation = event.getConversationId();
        if (event.getType() == HandoffEventType.REQUESTED && accepted.add(conversation)) {
            send(conversation, "desk-accept-" + event.getEventId(), AgentActionType.ACCEPT, null);
        } else if (event.getType() == HandoffEventType.CUSTOMER_MESSAGE && accepted.contains(conversation)
                && !released.contains(conversation)) {
            String messageId = event.getMessageId();
            send(conversation, "desk-reply-" + messageId, AgentActionType.REPLY, "A person from support about "
                    + messageId + ": we are on it.");
            PlannedMessage message = planned.get(messageId);
            if (message != null && message.index() == Workload.HANDOFF_AT + Workload.TO_HUMAN
                    && released.add(conversation)) {
                send(conversation, "desk-release-" + conversation, AgentActionType.RELEASE, null);
            }
        }
    }

    private void send(String conversationId, String actionId, AgentActionType type, String text) {
        if (!sentIds.add(actionId)) {
            return;
        }
        AgentAction action = AgentAction.newBuilder().setActionId(actionId).setConversationId(conversationId)
                .setAgentId(AGENT).setType(type).setText(text).setSentAt(Instant.now()).build();
        sent.add(action);
        producer.send(new ProducerRecord<>(actionsTopic, conversationId, Topics.AGENT_ACTION.encode(action)),
                (metadata, error) -> {
                    if (error != null) {
                        failure.compareAndSet(null, error);
                    }
                });
    }

    /** The actions sent; call after {@link #close()}. */
    List<AgentAction> sent() {
        return List.copyOf(sent);
    }

    @Override
    public void close() throws InterruptedException {
        if (!running) {
            return;
        }
        running = false;
        consumer.wakeup();
        thread.join(Duration.ofSeconds(30).toMillis());
        producer.close(Duration.ofSeconds(10));
        consumer.close(Duration.ofSeconds(5));
        Exception error = failure.get();
        if (error != null) {
            throw new IllegalStateException("the desk failed: " + error, error);
        }
    }
}
