package io.helpstream.client;

import io.helpstream.contract.Topics;
import io.helpstream.schema.AgentReply;
import io.helpstream.schema.ConversationEnded;
import io.helpstream.schema.CustomerMessage;
import io.helpstream.schema.TicketEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Talks to helpstream the way a chat gateway does: produces customer messages and reads, with
 * {@code read_committed}, the replies and ticket events they cause. Used by the demo, the terminal chat and the
 * end-to-end tests. Reads only what is published after it was created. Not thread-safe.
 */
public final class GatewayClient implements AutoCloseable {

    private final Topics topics;
    private final KafkaProducer<String, byte[]> producer;
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final Map<String, AgentReply> repliesByMessage = new HashMap<>();
    private final List<AgentReply> replies = new ArrayList<>();
    private final List<TicketEvent> ticketEvents = new ArrayList<>();
    private final List<ConversationEnded> ended = new ArrayList<>();

    public GatewayClient(String bootstrapServers, Topics topics) {
        this.topics = topics;
        Properties producerProps = ClientProperties.gatewayProducer(bootstrapServers);
        this.producer = new KafkaProducer<>(producerProps, new StringSerializer(), new ByteArraySerializer());
        Properties consumerProps = ClientProperties.readCommittedConsumer(bootstrapServers);
        this.consumer = new KafkaConsumer<>(consumerProps, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        List<TopicPartition> partitions = new ArrayList<>();
        for (String topic : List.of(topics.agentReplies().name(), topics.ticketEvents().name(),
                topics.conversationEvents().name())) {
            consumer.partitionsFor(topic, Duration.ofSeconds(30))
                    .forEach(info -> partitions.add(new TopicPartition(topic, info.partition())));
        }
        consumer.assign(partitions);
        consumer.seekToEnd(partitions);
        partitions.forEach(consumer::position);
    }

    /** Sends a customer message and returns it (with its new message id) once the broker has it. */
    public CustomerMessage send(String conversationId, String customerEmail, String text) {
        CustomerMessage message = CustomerMessages.of(conversationId, customerEmail, text);
        send(message);
        return message;
    }

    /** Sends the message as it is (e.g. a redelivery of an earlier one). */
    public void send(CustomerMessage message) {
        try {
            producer.send(new ProducerRecord<>(topics.customerMessages().name(), message.getConversationId(),
                    Topics.CUSTOMER_MESSAGE.encode(message))).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while sending", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("could not send the message: " + e.getCause(), e.getCause());
        }
    }

    /** Sends raw bytes, as a broken gateway might. */
    public void sendRaw(byte[] key, byte[] value) {
        producer.send(new ProducerRecord<>(topics.customerMessages().name(), null, key == null ? null
                : new String(key, java.nio.charset.StandardCharsets.UTF_8), value));
        producer.flush();
    }

    /** Waits for the reply to the given message. */
    public AgentReply awaitReply(String messageId, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!repliesByMessage.containsKey(messageId)) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("no reply to message " + messageId + " within " + timeout);
            }
            poll(Duration.ofMillis(100));
        }
        return repliesByMessage.get(messageId);
    }

    /** Reads whatever has been published, for up to {@code duration}. */
    public void poll(Duration duration) {
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(duration)) {
            if (record.value() == null) {
                continue;
            }
            if (record.topic().equals(topics.agentReplies().name())) {
                AgentReply reply = Topics.AGENT_REPLY.decode(record.value());
                replies.add(reply);
                repliesByMessage.putIfAbsent(reply.getInReplyTo(), reply);
            } else if (record.topic().equals(topics.ticketEvents().name())) {
                ticketEvents.add(Topics.TICKET_EVENT.decode(record.value()));
            } else {
                ended.add(Topics.CONVERSATION_ENDED.decode(record.value()));
            }
        }
    }

    /** Every reply read so far, duplicates included, in the order read. */
    public List<AgentReply> replies() {
        return List.copyOf(replies);
    }

    public List<TicketEvent> ticketEvents() {
        return List.copyOf(ticketEvents);
    }

    public List<TicketEvent> ticketEventsFor(String messageId) {
        return ticketEvents.stream().filter(event -> event.getMessageId().equals(messageId)).toList();
    }

    public List<ConversationEnded> endedConversations() {
        return List.copyOf(ended);
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
        consumer.close(Duration.ofSeconds(5));
    }
}
