package io.helpstream.harness;

import io.helpstream.localstack.process.HelpstreamProcess;
import io.helpstream.localstack.process.ProcessSettings;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * The {@code helpstream run} processes of a chaos test: the same deployment, each instance with an id, a state
 * directory and a log of its own. Instances the test holds down (scaled down, or frozen) are left alone; any other
 * that ends is started again, as a supervisor would, and counted: nothing but a disruption should end one.
 */
final class Fleet implements AutoCloseable {

    private static final Duration START_TIMEOUT = Duration.ofMinutes(3);

    private final List<HelpstreamProcess> processes = new ArrayList<>();
    private final Set<Integer> held = ConcurrentHashMap.newKeySet();
    private final List<String> ownExits = new ArrayList<>();

    /**
     * @param environment the deployment's configuration, shared by every instance
     * @param onLine      sees every line any instance logs
     */
    Fleet(Path jar, Map<String, String> environment, Path workDir, int instances, Consumer<String> onLine) {
        for (int i = 0; i < instances; i++) {
            Map<String, String> env = new HashMap<>(environment);
            env.put("HELPSTREAM_INSTANCE_ID", "chaos-" + i);
            // Kept across restarts, like an instance restarted in place.
            env.put("HELPSTREAM_STATE_DIR", workDir.resolve("state-" + i).toString());
            processes.add(new HelpstreamProcess(ProcessSettings.jar(jar, env, workDir.resolve("instance-" + i
                    + ".log")).withJvmOptions("-Xmx512m").withOnLine(onLine)));
        }
    }

    /** Starts the first instance (which creates the topics), then the others; waits until all run. */
    void startAll() throws InterruptedException {
        processes.get(0).start();
        awaitRunning(0);
        for (int i = 1; i < processes.size(); i++) {
            processes.get(i).start();
        }
        for (int i = 1; i < processes.size(); i++) {
            awaitRunning(i);
        }
    }

    HelpstreamProcess instance(int i) {
        return processes.get(i);
    }

    int size() {
        return processes.size();
    }

    /** The instances that run and are not held down. */
    List<Integer> up() {
        List<Integer> up = new ArrayList<>();
        for (int i = 0; i < processes.size(); i++) {
            if (!held.contains(i) && processes.get(i).isRunning()) {
                up.add(i);
            }
        }
        return up;
    }

    /** The test holds the instance down (or frozen): it is not started again meanwhile. */
    void hold(int i) {
        held.add(i);
    }

    void release(int i) {
        held.remove(i);
    }

    /** Starts again every instance that ended on its own; counted as an exit no disruption caused. */
    void supervise(PrintStream out) {
        for (int i = 0; i < processes.size(); i++) {
            if (held.contains(i)) {
                continue;
            }
            HelpstreamProcess process = processes.get(i);
            long pid;
            try {
                pid = process.pid();
            } catch (IllegalStateException notStarted) {
                continue;
            }
            OptionalInt exit = process.restartIfEnded();
            if (exit.isPresent()) {
                ownExits.add("instance " + i + " (pid " + pid + ") exited " + exit.getAsInt());
                out.printf("instance %d (pid %d) ended on its own with exit value %d; started it again%n", i, pid,
                        exit.getAsInt());
            }
        }
    }

    List<String> ownExits() {
        return List.copyOf(ownExits);
    }

    private void awaitRunning(int i) throws InterruptedException {
        if (!processes.get(i).awaitRunning(START_TIMEOUT)) {
            throw new IllegalStateException("instance " + i + " did not reach RUNNING within " + START_TIMEOUT
                    + "; see its log:\n" + processes.get(i).logTail());
        }
    }

    /** Stops every instance with SIGTERM, a frozen one after letting it go on. */
    @Override
    public void close() throws InterruptedException {
        for (int i = 0; i < processes.size(); i++) {
            HelpstreamProcess process = processes.get(i);
            if (held.contains(i) && process.isRunning()) {
                process.resume();
            }
        }
        for (HelpstreamProcess process : processes) {
            process.close();
        }
    }
}
