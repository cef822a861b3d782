package io.helpstream.harness;

import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The multi-instance chaos test from the command line. Exits 0 when every invariant held, 1 when one was violated,
 * 2 on a usage error. See RELIABILITY.md.
 */
@Command(name = "chaos-test", mixinStandardHelpOptions = true,
        description = "Runs several processor processes against one broker and a scripted model served over HTTP, "
                + "kills, restarts, scales and freezes them while messages flow, and checks exactly-once replies, "
                + "order, tickets, events and replies against each other, and the model calls made.")
public final class ChaosTest implements Callable<Integer> {

    @Option(names = "--messages", defaultValue = "5000", description = "Messages to send (default: ${DEFAULT-VALUE}).")
    int messages;

    @Option(names = "--conversations", defaultValue = "500",
            description = "Conversations they are spread over (default: ${DEFAULT-VALUE}).")
    int conversations;

    @Option(names = "--instances", defaultValue = "3", description = "Processor processes (default: ${DEFAULT-VALUE}).")
    int instances;

    @Option(names = "--disruptions", defaultValue = "20",
            description = "SIGKILLs, SIGTERMs, scale-downs and freezes while sending (default: ${DEFAULT-VALUE}).")
    int disruptions;

    @Option(names = "--seed", defaultValue = "1", description = "Workload, disruptions, second thoughts "
            + "(default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--rate", defaultValue = "12", description = "Messages per second (default: ${DEFAULT-VALUE}).")
    double rate;

    @Option(names = "--model-min", defaultValue = "PT0.3S", description = "Shortest model call (default: "
            + "${DEFAULT-VALUE}).")
    Duration modelMin;

    @Option(names = "--model-max", defaultValue = "PT0.8S", description = "Longest model call (default: "
            + "${DEFAULT-VALUE}).")
    Duration modelMax;

    @Option(names = "--down-for", defaultValue = "PT15S", description = "How long a scaled-down instance stays down "
            + "and a frozen one frozen; longer than the 10 s session timeout (default: ${DEFAULT-VALUE}).")
    Duration downFor;

    @Mixin
    RunOptions run = new RunOptions();

    public static void main(String[] args) {
        System.exit(new CommandLine(new ChaosTest()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        ChaosSettings settings = new ChaosSettings(messages, conversations, instances, disruptions, seed, rate,
                modelMin, modelMax, downFor, run.jar, run.drainTimeout, run.databaseUrl(), run.redisUrl(), run.keep,
                run.workDir);
        ChaosReport result = new ChaosRun(settings, System.out).run();
        run.report(result.render(), System.out);
        return result.passed() ? 0 : 1;
    }
}
