package io.helpstream.harness;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import picocli.CommandLine.Option;

/** The options the crash and chaos tests share on the command line: where things are, and where the report goes. */
final class RunOptions {

    @Option(names = "--jar", defaultValue = "app/target/helpstream.jar",
            description = "The processor's jar (default: ${DEFAULT-VALUE}).")
    Path jar;

    @Option(names = "--drain-timeout", defaultValue = "PT5M",
            description = "Longest wait for the replies after the last message (default: ${DEFAULT-VALUE}).")
    Duration drainTimeout;

    @Option(names = "--work-dir", defaultValue = "${java.io.tmpdir}",
            description = "Where the processors' logs and state go (default: ${DEFAULT-VALUE}).")
    Path workDir;

    @Option(names = "--keep", description = "Keep the database, logs and state directories afterwards.")
    boolean keep;

    @Option(names = "--report", description = "Also write the report to this file.")
    Path report;

    /** {@code DATABASE_URL}: the server to create the run's database on; empty: the local one. */
    Optional<String> databaseUrl() {
        return env("DATABASE_URL");
    }

    /** {@code REDIS_URL}: the Redis to take the run's key prefix on; empty: the local one. */
    Optional<String> redisUrl() {
        return env("REDIS_URL");
    }

    /** Prints the report, and writes it to {@code --report} when given. */
    void report(String text, PrintStream out) throws IOException {
        out.print(text);
        if (report != null) {
            Files.writeString(report, text, StandardCharsets.UTF_8);
        }
    }

    private static Optional<String> env(String name) {
        return Optional.ofNullable(System.getenv(name)).filter(value -> !value.isBlank());
    }
}
