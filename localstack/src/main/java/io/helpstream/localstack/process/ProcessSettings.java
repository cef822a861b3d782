package io.helpstream.localstack.process;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * How to launch {@code helpstream run} as a child process.
 *
 * @param program     what follows the JVM options: {@code -jar <jar>}, or {@code -cp <class path> <main class>}
 * @param jvmOptions  e.g. {@code -Xmx1g}
 * @param environment added to this process's environment; helpstream reads its whole configuration from it
 * @param logFile     the child's stdout and stderr, appended across restarts
 * @param onLine      sees every line the child prints, as it reaches the log, on a thread that follows the log
 */
public record ProcessSettings(List<String> program, List<String> jvmOptions, Map<String, String> environment,
                              Path logFile, Consumer<String> onLine) {

    /** The main class of helpstream's runnable jar. */
    public static final String MAIN_CLASS = "io.helpstream.cli.Helpstream";

    public ProcessSettings {
        program = List.copyOf(program);
        jvmOptions = List.copyOf(jvmOptions);
        environment = Map.copyOf(environment);
        Objects.requireNonNull(logFile, "logFile");
        Objects.requireNonNull(onLine, "onLine");
        if (program.isEmpty()) {
            throw new IllegalArgumentException("program must not be empty");
        }
    }

    /**
     * {@code java -jar <jar> run}.
     *
     * @throws IllegalArgumentException when there is no jar, naming the command that builds it
     */
    public static ProcessSettings jar(Path jar, Map<String, String> environment, Path logFile) {
        if (!Files.isRegularFile(jar)) {
            throw new IllegalArgumentException("no helpstream jar at " + jar.toAbsolutePath()
                    + " (build it: ./mvnw -q -pl app -am package -DskipTests)");
        }
        return new ProcessSettings(List.of("-jar", jar.toAbsolutePath().toString()), List.of(), environment,
                logFile, line -> { });
    }

    /** {@code java -cp <this JVM's class path> io.helpstream.cli.Helpstream run}: when the caller holds the app. */
    public static ProcessSettings thisClassPath(Map<String, String> environment, Path logFile) {
        return new ProcessSettings(List.of("-cp", System.getProperty("java.class.path"), MAIN_CLASS), List.of(),
                environment, logFile, line -> { });
    }

    public ProcessSettings withJvmOptions(String... options) {
        return new ProcessSettings(program, List.of(options), environment, logFile, onLine);
    }

    public ProcessSettings withOnLine(Consumer<String> listener) {
        return new ProcessSettings(program, jvmOptions, environment, logFile, listener);
    }

    /** The whole command line, with the JVM that runs this process. */
    List<String> command() {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.addAll(program);
        command.add("run");
        return List.copyOf(command);
    }
}
