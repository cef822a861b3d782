package io.helpstream.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;

class RunCommandTest {

    private static final Duration QUICKLY = Duration.ofMillis(5);

    @Test
    void should_end_with_status_1_when_kafka_streams_gives_up_by_itself() throws InterruptedException {
        AtomicInteger checks = new AtomicInteger();

        int status = RunCommand.awaitEnd(new CountDownLatch(1),
                () -> checks.incrementAndGet() < 3 ? KafkaStreams.State.RUNNING : KafkaStreams.State.ERROR, QUICKLY);

        assertThat(status).isEqualTo(1);
        assertThat(checks.get()).isEqualTo(3);
    }

    @Test
    void should_end_with_status_0_when_stopped_from_outside() throws InterruptedException {
        CountDownLatch stopped = new CountDownLatch(1);
        stopped.countDown();

        assertThat(RunCommand.awaitEnd(stopped, () -> KafkaStreams.State.RUNNING, QUICKLY)).isZero();
    }

    @Test
    void should_keep_waiting_through_a_rebalance() throws InterruptedException {
        CountDownLatch stopped = new CountDownLatch(1);
        AtomicInteger checks = new AtomicInteger();

        int status = RunCommand.awaitEnd(stopped, () -> {
            if (checks.incrementAndGet() == 5) {
                stopped.countDown();
            }
            return KafkaStreams.State.REBALANCING;
        }, QUICKLY);

        assertThat(status).isZero();
        assertThat(checks.get()).isEqualTo(5);
    }
}
