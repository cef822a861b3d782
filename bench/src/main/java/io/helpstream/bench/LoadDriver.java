package io.helpstream.bench;

import io.helpstream.client.ClientProperties;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Plays a chat gateway against one design: produces messages to its input topic and reads its output topic with
 * {@code read_committed} on a thread of its own, recording for every message when it was produced and when its
 * answer arrived. Message ids are {@code <run>-<sequence>}, so an answer finds its message without a lookup table.
 */
final class LoadDriver implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(LoadDriver.class);

    /** One message to send. */
    record Message(String conversationId, String email) {
    }

    private final String inputTopic;
    private final MessageFormat format;
    private final String run;
    private final KafkaProducer<String, byte[]> producer;
    private final KafkaConsumer<String, byte[]> consumer;
    private final Thread reader;
    private volatile boolean closed;
    private volatile Phase current;
    private long nextSequence;

    LoadDriver(String bootstrapServers, String inputTopic, String outputTopic, MessageFormat format, String run) {
        this.inputTopic = Objects.requireNonNull(inputTopic, "inputTopic");
        this.format = Objects.requireNonNull(format, "format");
        this.run = Objects.requireNonNull(run, "run");
        Properties producerProps = ClientProperties.gatewayProducer(bootstrapServers);
        this.producer = new KafkaProducer<>(producerProps, new StringSerializer(), new ByteArraySerializer());
        Properties consumerProps = ClientProperties.readCommittedConsumer(bootstrapServers);
        this.consumer = new KafkaConsumer<>(consumerProps, new StringDeserializer(), new ByteArrayDeserializer());
        List<TopicPartition> partitions = consumer.partitionsFor(outputTopic, Duration.ofSeconds(30)).stream()
                .map(info -> new TopicPartition(outputTopic, info.partition())).toList();
        consumer.assign(partitions);
        consumer.seekToEnd(partitions);
        partitions.forEach(consumer::position);
        this.reader = new Thread(this::read, "bench-reader-" + inputTopic);
        reader.setDaemon(true);
        reader.start();
    }

    /**
     * Sends the messages, at {@code ratePerSecond} (0: as fast as the producer takes them), and waits until every
     * one is answered or {@code timeout} has passed since the first was sent.
     */
    PhaseResult run(List<Message> messages, double ratePerSecond, Duration timeout) {
        Phase phase = new Phase(nextSequence, messages.size());
        nextSequence += messages.size();
        current = phase;
        long start = System.nanoTime();
        double interval = ratePerSecond > 0 ? 1e9 / ratePerSecond : 0;
        for (int i = 0; i < messages.size(); i++) {
            if (interval > 0) {
                long due = start + (long) (i * interval);
                for (long now = System.nanoTime(); now < due; now = System.nanoTime()) {
                    LockSupport.parkNanos(due - now);
                }
            }
            Message message = messages.get(i);
            String messageId = run + "-" + (phase.first + i);
            byte[] value = format.encode(message.conversationId(), messageId, message.email());
            phase.sentNanos[i] = System.nanoTime();
            producer.send(new ProducerRecord<>(inputTopic, message.conversationId(), value));
        }
        producer.flush();
        long deadline = start + timeout.toNanos();
        while (phase.received.get() < messages.size() && System.nanoTime() < deadline) {
            LockSupport.parkNanos(Duration.ofMillis(10).toNanos());
        }
        PhaseResult result = phase.result();
        current = null;
        return result;
    }

    private void read() {
        while (!closed) {
            try {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(50))) {
                    long now = System.nanoTime();
                    Phase phase = current;
                    if (phase == null || record.value() == null) {
                        continue;
                    }
                    boolean counted = false;
                    for (String answered : format.answeredMessageIds(record.value())) {
                        if (answered.startsWith(run + "-")) {
                            counted |= phase.answered(record.key(), Long.parseLong(answered.substring(
                                    run.length() + 1)), now);
                        }
                    }
                    if (counted) {
                        phase.replies.incrementAndGet();
                    }
                }
            } catch (org.apache.kafka.common.errors.WakeupException e) {
                return;
            } catch (RuntimeException e) {
                if (!closed) {
                    log.error("Reading answers failed", e);
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

    /** The messages of one {@link #run} call; answers are recorded by the reader thread. */
    private static final class Phase {
        final long first;
        final long[] sentNanos;
        final long[] receivedNanos;
        final AtomicInteger received = new AtomicInteger();
        /** Output records that answered at least one message of the phase: turns, for helpstream. */
        final AtomicInteger replies = new AtomicInteger();
        final Map<String, Long> lastAnsweredByConversation = new HashMap<>();
        int duplicates;
        int orderViolations;
        long lastReceived;

        Phase(long first, int size) {
            this.first = first;
            this.sentNanos = new long[size];
            this.receivedNanos = new long[size];
        }

        /** Records an answer; true when it answers a message of this phase for the first time. */
        synchronized boolean answered(String conversationId, long sequence, long now) {
            int index = (int) (sequence - first);
            if (index < 0 || index >= receivedNanos.length) {
                return false;
            }
            if (receivedNanos[index] != 0) {
                duplicates++;
                return false;
            }
            Long last = lastAnsweredByConversation.put(conversationId, sequence);
            if (last != null && last > sequence) {
                orderViolations++;
            }
            receivedNanos[index] = now;
            lastReceived = now;
            received.incrementAndGet();
            return true;
        }

        synchronized PhaseResult result() {
            double[] latencies = new double[received.get()];
            int n = 0;
            long firstSent = sentNanos.length == 0 ? 0 : sentNanos[0];
            for (int i = 0; i < receivedNanos.length; i++) {
                if (receivedNanos[i] != 0 && n < latencies.length) {
                    latencies[n++] = (receivedNanos[i] - sentNanos[i]) / 1e6;
                }
            }
            double seconds = received.get() == 0 ? 0 : (lastReceived - firstSent) / 1e9;
            return new PhaseResult(sentNanos.length, received.get(), replies.get(), duplicates, orderViolations,
                    seconds, Latencies.of(latencies));
        }
    }
}
