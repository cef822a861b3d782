package io.helpstream.bench;

import io.helpstream.client.ClientProperties;
import io.helpstream.client.CustomerMessages;
import io.helpstream.contract.Topics;
import io.helpstream.schema.AgentReply;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
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
 * Plays customers chatting: each conversation sends its next message only once its previous one was answered (read
 * {@code read_committed} from the reply topic), so no message ever waits behind another of its conversation. Messages
 * are what a gateway writes: a random UUID message id, the gateway-asserted email, a text of 100 to 300 characters
 * (which names the email, as the scripted model looks the customer up by it).
 */
final class ChatPace implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ChatPace.class);

    /** One customer's conversation. */
    record Conversation(String id, String email) {
    }

    /**
     * What one stretch of turns did.
     *
     * @param messages    messages sent (= turns: each answered alone)
     * @param textBytes   UTF-8 bytes of their texts, together
     * @param unexpected  replies that answered no message the driver was waiting for (duplicates, or several
     *                    messages at once)
     * @param seconds     from the first message sent to the last answer received
     * @param latencies   answer received − message sent
     */
    record Stretch(int messages, long textBytes, int unexpected, double seconds, Latencies latencies) {
        double meanTextBytes() {
            return messages == 0 ? 0 : textBytes / (double) messages;
        }
    }

    private static final String[] SENTENCES = {
        "I ordered a pair of running shoes last week and the tracking page has not changed since Monday.",
        "Could you tell me when the parcel will actually arrive?",
        "The invoice shows a shipping fee although the website promised free delivery over fifty euros.",
        "I would like to change the delivery address to my office, if it has not left the warehouse yet.",
        "The jacket I received is a size too small; how do I exchange it?",
        "My card was charged twice for the same order, please refund one of the payments.",
        "Is it possible to combine my two open orders into one shipment?",
        "The courier left a note saying nobody was home, but I was at home all day.",
        "Thanks for the quick answer, that helps a lot.",
        "Can I still cancel the second item in that order?",
        "I need this for a trip on Friday, so the date matters to me.",
        "The discount code from your newsletter was not applied at checkout.",
        "Please send me a copy of the receipt by email.",
        "One of the items arrived damaged; the box was crushed on one side.",
    };

    private final String inputTopic;
    private final KafkaProducer<String, byte[]> producer;
    private final KafkaConsumer<String, byte[]> consumer;
    private final BlockingQueue<AgentReply> replies = new LinkedBlockingQueue<>();
    private final Thread reader;
    private final Random random;
    private volatile boolean closed;

    ChatPace(String bootstrapServers, String inputTopic, String outputTopic, long seed) {
        this.inputTopic = Objects.requireNonNull(inputTopic, "inputTopic");
        this.random = new Random(seed);
        this.producer = new KafkaProducer<>(ClientProperties.gatewayProducer(bootstrapServers),
                new StringSerializer(), new ByteArraySerializer());
        this.consumer = new KafkaConsumer<>(ClientProperties.readCommittedConsumer(bootstrapServers),
                new StringDeserializer(), new ByteArrayDeserializer());
        List<TopicPartition> partitions = consumer.partitionsFor(outputTopic, Duration.ofSeconds(30)).stream()
                .map(info -> new TopicPartition(outputTopic, info.partition())).toList();
        consumer.assign(partitions);
        consumer.seekToEnd(partitions);
        partitions.forEach(consumer::position);
        this.reader = new Thread(this::read, "bench-chat-reader-" + inputTopic);
        reader.setDaemon(true);
        reader.start();
    }

    /** {@code count} conversations with random UUID ids, conversation c belonging to customer c mod customers. */
    static List<Conversation> conversations(int count, int customers) {
        List<Conversation> all = new ArrayList<>(count);
        for (int c = 0; c < count; c++) {
            all.add(new Conversation(UUID.randomUUID().toString(), Customers.email(c % customers)));
        }
        return all;
    }

    /**
     * Sends messages number {@code from} to {@code to} (inclusive) of every conversation, each conversation's next
     * one as soon as its previous one was answered, and returns once all are answered; throws after {@code timeout}.
     */
    Stretch run(List<Conversation> conversations, int from, int to, Duration timeout) throws InterruptedException {
        Map<String, Outstanding> outstanding = new HashMap<>();
        List<Double> latencies = new ArrayList<>();
        long start = System.nanoTime();
        long textBytes = 0;
        int sent = 0;
        int unexpected = 0;
        long last = start;
        for (Conversation conversation : conversations) {
            Outstanding message = send(conversation, from);
            outstanding.put(conversation.id(), message);
            textBytes += message.textBytes;
            sent++;
        }
        long deadline = start + timeout.toNanos();
        while (!outstanding.isEmpty()) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new IllegalStateException(outstanding.size() + " conversations still wait for an answer after "
                        + timeout + " (" + sent + " messages sent)");
            }
            AgentReply reply = replies.poll(Math.min(left, TimeUnit.MILLISECONDS.toNanos(100)),
                    TimeUnit.NANOSECONDS);
            if (reply == null) {
                continue;
            }
            long now = System.nanoTime();
            Outstanding waiting = outstanding.get(reply.getConversationId());
            if (waiting == null || !reply.getInReplyTo().equals(waiting.messageId) || !reply.getAnswers().isEmpty()) {
                unexpected++;
                log.warn("Unexpected reply {} to {} (answers {}) in conversation {}", reply.getReplyId(),
                        reply.getInReplyTo(), reply.getAnswers(), reply.getConversationId());
                continue;
            }
            latencies.add((now - waiting.sentNanos) / 1e6);
            last = now;
            if (waiting.turn < to) {
                Outstanding next = send(waiting.conversation, waiting.turn + 1);
                outstanding.put(reply.getConversationId(), next);
                textBytes += next.textBytes;
                sent++;
            } else {
                outstanding.remove(reply.getConversationId());
            }
        }
        return new Stretch(sent, textBytes, unexpected, (last - start) / 1e9,
                Latencies.of(latencies));
    }

    private record Outstanding(Conversation conversation, int turn, String messageId, long sentNanos,
                               int textBytes) {
    }

    private Outstanding send(Conversation conversation, int turn) {
        String messageId = UUID.randomUUID().toString();
        String text = text(conversation.email());
        byte[] value = Topics.CUSTOMER_MESSAGE.encode(CustomerMessages.withId(messageId, conversation.id(),
                conversation.email(), text, Instant.now()));
        long sentNanos = System.nanoTime();
        producer.send(new ProducerRecord<>(inputTopic, conversation.id(), value));
        producer.flush();
        return new Outstanding(conversation, turn, messageId, sentNanos,
                text.getBytes(StandardCharsets.UTF_8).length);
    }

    /** A customer's message of 100 to 300 characters that names the customer's email. */
    String text(String email) {
        int target = 100 + random.nextInt(201);
        StringBuilder text = new StringBuilder("Hello, this is " + email + ".");
        while (text.length() < target) {
            text.append(' ').append(SENTENCES[random.nextInt(SENTENCES.length)]);
        }
        if (text.length() > 300) {
            int cut = text.lastIndexOf(" ", 299);
            text.setLength(cut);
            text.append('.');
        }
        return text.toString();
    }

    private void read() {
        while (!closed) {
            try {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(50))) {
                    if (record.value() != null) {
                        replies.add(Topics.AGENT_REPLY.decode(record.value()));
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
}
