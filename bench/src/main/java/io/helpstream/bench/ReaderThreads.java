package io.helpstream.bench;

import java.time.Duration;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.producer.Producer;

/** How the bench's gateways stop: the thread reading helpstream's outputs, then their clients. */
final class ReaderThreads {

    private ReaderThreads() {
    }

    /** Wakes the reader's consumer, waits for the reader to end (5 s at most), then closes both clients. */
    static void stop(Thread reader, Consumer<?, ?> consumer, Producer<?, ?> producer) {
        consumer.wakeup();
        try {
            reader.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        consumer.close(Duration.ofSeconds(5));
        producer.close(Duration.ofSeconds(5));
    }
}
