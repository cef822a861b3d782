package io.helpstream.cli;

import io.helpstream.app.Application;
import io.helpstream.config.Env;
import io.helpstream.config.HelpstreamConfig;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;

/** Runs the processor until it is stopped (Ctrl-C or SIGTERM). */
@Command(name = "run", description = "Run the processor until stopped.")
final class RunCommand implements Callable<Integer> {

    @Override
    public Integer call() throws InterruptedException {
        HelpstreamConfig config = HelpstreamConfig.fromEnvironment(Env.system());
        CountDownLatch stopped = new CountDownLatch(1);
        Application app = Application.start(config);
        System.out.println("helpstream is running; Kafka at " + app.bootstrapServers() + ". Ctrl-C stops it.");
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            app.close();
            stopped.countDown();
        }, "helpstream-shutdown"));
        stopped.await();
        return 0;
    }
}
