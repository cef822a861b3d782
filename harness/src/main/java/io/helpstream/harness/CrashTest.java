package io.helpstream.harness;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
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

    @Option(names = "--seed", defaultValue = "1", description = "Workload and kill moments (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--rate", defaultValue = "25", description = "Messages per second (default: ${DEFAULT-VALUE}).")
    double rate;

    @Option(names = "--jar", defaultValue = "app/target/helpstream.jar",
            description = "The processor's jar (default: ${DEFAULT-VALUE}).")
    Path jar;

    @Option(names = "--drain-timeout", defaultValue = "PT5M",
            description = "Longest wait for the replies after the last message (default: ${DEFAULT-VALUE}).")
    Duration drainTimeout;

    @Option(names = "--work-dir", defaultValue = "${java.io.tmpdir}",
            description = "Where the processor's log and state go (default: ${DEFAULT-VALUE}).")
    Path workDir;

    @Option(names = "--keep", description = "Keep the database, log and state directory afterwards.")
    boolean keep;

    @Option(names = "--report", description = "Also write the report to this file.")
    Path report;

    public static void main(String[] args) {
        System.exit(new CommandLine(new CrashTest()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        CrashSettings settings = new CrashSettings(messages, conversations, kills, seed, rate, jar, drainTimeout,
                env("DATABASE_URL"), env("REDIS_URL"), keep, workDir);
        CrashReport result = new CrashRun(settings, System.out).run();
        String text = result.render();
        System.out.print(text);
        if (report != null) {
            Files.writeString(report, text, StandardCharsets.UTF_8);
        }
        return result.passed() ? 0 : 1;
    }

    private static Optional<String> env(String name) {
        return Optional.ofNullable(System.getenv(name)).filter(value -> !value.isBlank());
    }
}
