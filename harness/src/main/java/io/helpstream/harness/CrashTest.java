package io.helpstream.harness;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine;

/**
 * The crash test from the command line. Exits 0 when every invariant held, 1 when one was violated, 2 on a usage
 * error. See RELIABILITY.md.
 */
@Command(name = "crash-test", mixinStandardHelpOptions = true,
        description = "Runs the processor's jar as a separate process, kills it with SIGKILL at random moments while "
                + "messages flow, restarts it each time, and checks exactly-once replies, order, tickets and state.")
public final class CrashTest implements Callable<Integer> {

    @Option(names = "--messages", defaultValue = "1000", description = "Messages to send (default: ${DEFAULT-VALUE}).")
    int messages;

    @Option(names = "--conversations", defaultValue = "100",
            description = "Conversations they are spread over (default: ${DEFAULT-VALUE}).")
    int conversations;

    @Option(names = "--kills", defaultValue = "3", description = "SIGKILLs while sending (default: ${DEFAULT-VALUE}).")
    int kills;

    @Option(names = "--seed", defaultValue = "1",
            description = "Workload and kill moments (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--rate", defaultValue = "25", description = "Messages per second (default: ${DEFAULT-VALUE}).")
    double rate;

    @Mixin
    RunOptions run = new RunOptions();

    public static void main(String[] args) {
        System.exit(new CommandLine(new CrashTest()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        CrashSettings settings = new CrashSettings(messages, conversations, kills, seed, rate, run.jar,
                run.drainTimeout, run.databaseUrl(), run.redisUrl(), run.keep, run.workDir);
        CrashReport result = new CrashRun(settings, System.out).run();
        run.report(result.render(), System.out);
        return result.passed() ? 0 : 1;
    }
}
