package io.helpstream.bench;

import io.helpstream.client.ClientProperties;
import io.helpstream.contract.Topics;
import io.helpstream.schema.AgentReply;
import io.helpstream.schema.ConversationEnded;
import io.helpstream.schema.CustomerMessage;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A chat gateway that reacts to what helpstream writes: it sends customer messages when told to, and hands every
 * committed reply, dead letter and conversation event (read with {@code read_committed} from the end of each topic at
 * construction) to a {@link Listener} on its reader thread, which may send the next message from there. Unlike
 * {@link LoadDriver} it keeps no latencies itself: closed-loop workloads (the next message when the previous one is
 * answered) and the accounting of merged answers and dead letters are the listener's.
 */
final class ChatGateway implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ChatGateway.class);

    /** The dead-letter header naming why a record was dead-lettered (Kafka Streams' and the processor's own). */
    static final String REASON_HEADER = "__streams.errors.message";

    /** What the gateway reads, each called on the reader thread with the time ({@code System.nanoTime()}) it came. */
    interface Listener {
        default void reply(AgentReply reply, long receivedNanos) {
        }

        /**
         * @param message the dead-lettered customer message, or null when the record is not one (a stored record)
         * @param reason  the {@value #REASON_HEADER} header, or null
         */
        default void deadLetter(String key, CustomerMessage message, String reason, long receivedNanos) {
        }

        default void ended(ConversationEnded event, long receivedNanos) {
        }
    }

    private final Topics topics;
    private final Listener listener;
    private final KafkaProducer<String, byte[]> producer;
    private final KafkaConsumer<String, byte[]> consumer;
    private final Thread reader;
    private volatile boolean closed;

    ChatGateway(String bootstrapServers, Topics topics, Listener listener) {
        this.topics = Objects.requireNonNull(topics, "topics");
        this.listener = Objects.requireNonNull(listener, "listener");
        this.producer = new KafkaProducer<>(ClientProperties.gatewayProducer(bootstrapServers), new StringSerializer(),
                new ByteArraySerializer());
        Properties consumerProps = ClientProperties.readCommittedConsumer(bootstrapServers);
        this.consumer = new KafkaConsumer<>(consumerProps, new StringDeserializer(), new ByteArrayDeserializer());
        List<TopicPartition> partitions = new ArrayList<>();
        for (String topic : List.of(topics.agentReplies().name(), topics.deadLetters().name(),
                topics.conversationEvents().name())) {
            consumer.partitionsFor(topic, Duration.ofSeconds(30))
                    .forEach(info -> partitions.add(new TopicPartition(topic, info.partition())));
        }
        consumer.assign(partitions);
        consumer.seekToEnd(partitions);
        partitions.forEach(consumer::position);
        this.reader = new Thread(this::read, "bench-gateway-" + topics.customerMessages().name());
        reader.setDaemon(true);
        reader.start();
    }

    /** Sends one customer message (the benchmarks' usual ~200-byte text) without waiting for it to be written. */
    void send(String conversationId, String messageId, String email) {
        producer.send(new ProducerRecord<>(topics.customerMessages().name(), conversationId,
                MessageFormat.HELPSTREAM.encode(conversationId, messageId, email)));
    }

    void flush() {
        producer.flush();
    }

    private void read() {
        String replies = topics.agentReplies().name();
        String deadLetters = topics.deadLetters().name();
        while (!closed) {
            try {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(20))) {
                    long now = System.nanoTime();
                    if (record.value() == null) {
                        continue;
                    }
                    if (record.topic().equals(replies)) {
                        listener.reply(Topics.AGENT_REPLY.decode(record.value()), now);
                    } else if (record.topic().equals(deadLetters)) {
                        Header reason = record.headers().lastHeader(REASON_HEADER);
                        CustomerMessage message;
                        try {
                            message = Topics.CUSTOMER_MESSAGE.decode(record.value());
                        } catch (RuntimeException e) {
                            message = null;
                        }
                        listener.deadLetter(record.key(), message,
                                reason == null ? null : new String(reason.value(), StandardCharsets.UTF_8), now);
                    } else {
                        listener.ended(Topics.CONVERSATION_ENDED.decode(record.value()), now);
                    }
                }
            } catch (org.apache.kafka.common.errors.WakeupException e) {
                return;
            } catch (RuntimeException e) {
                if (!closed) {
                    log.error("Reading helpstream's outputs failed", e);
                }
                return;
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        ReaderThreads.stop(reader, consumer, producer);
    }
}
