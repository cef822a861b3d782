package io.helpstream.cli;

import io.helpstream.config.Env;
import io.helpstream.config.HelpstreamConfig;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.apache.kafka.streams.KafkaStreams;
import picocli.CommandLine.Command;

/**
 * Runs the processor until it is stopped (Ctrl-C or SIGTERM), or until it gives up on its own (too many stream
 * thread failures): then the process exits with status 1, so a supervisor restarts it or raises an alarm.
 */
@Command(name = "run", description = "Run the processor until stopped.")
final class RunCommand implements Callable<Integer> {

    private static final Duration CHECK_EVERY = Duration.ofMillis(500);

    @Override
    public Integer call() throws InterruptedException {
        HelpstreamConfig config = HelpstreamConfig.fromEnvironment(Env.system());
        CountDownLatch stopped = new CountDownLatch(1);
        Instance instance = Instance.start(config);
        System.out.println("helpstream is running; Kafka at " + instance.app().bootstrapServers()
                + instance.address().map(address -> ", HTTP at " + address).orElse("") + ". Ctrl-C stops it.");
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            instance.close();
            stopped.countDown();
        }, "helpstream-shutdown"));
        int status = awaitEnd(stopped, instance.app()::state, CHECK_EVERY);
        if (status != 0) {
            System.err.println("helpstream stopped processing (Kafka Streams state " + instance.app().state()
                    + "); see the log for the cause");
            instance.close();
        }
        return status;
    }

    /** 0 when stopped from outside, 1 when Kafka Streams ended by itself (ERROR, or NOT_RUNNING unasked). */
    static int awaitEnd(CountDownLatch stoppedFromOutside, Supplier<KafkaStreams.State> state, Duration checkEvery)
            throws InterruptedException {
        while (!stoppedFromOutside.await(checkEvery.toMillis(), TimeUnit.MILLISECONDS)) {
            KafkaStreams.State now = state.get();
            if (now == KafkaStreams.State.ERROR || now == KafkaStreams.State.NOT_RUNNING) {
                return stoppedFromOutside.getCount() == 0 ? 0 : 1;
            }
        }
        return 0;
    }
}
