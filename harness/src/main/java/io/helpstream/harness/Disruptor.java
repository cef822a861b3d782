package io.helpstream.harness;

import io.helpstream.harness.Disruption.Kind;
import io.helpstream.localstack.process.HelpstreamProcess;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * Disrupts the fleet at moments drawn uniformly over the sending time, one disruption after the other, each of a kind
 * drawn at random (every kind at least once when there are enough) and aimed at an instance that runs: SIGKILL and
 * SIGTERM with a restart right after, a scale-down for {@link ChaosSettings#downFor()}, and a freeze (SIGSTOP) as
 * long. Between disruptions it supervises the fleet.
 */
final class Disruptor {

    private static final Duration SUPERVISE_EVERY = Duration.ofMillis(500);
    /** Instances restarted a moment ago may still be starting; the next disruption waits for one that runs. */
    private static final Duration UP_TIMEOUT = Duration.ofMinutes(3);

    private final ChaosSettings settings;
    private final Fleet fleet;
    private final PrintStream out;
    private final Random random;

    Disruptor(ChaosSettings settings, Fleet fleet, PrintStream out) {
        this.settings = settings;
        this.fleet = fleet;
        this.out = out;
        this.random = new Random(settings.seed() * 31 + 11);
    }

    /** Disrupts as planned, from {@code sendStart} (a {@link System#nanoTime()}); returns what was done. */
    List<Disruption> run(long sendStart) throws InterruptedException {
        long window = settings.sendingTime().toNanos();
        List<Long> moments = new ArrayList<>();
        for (int i = 0; i < settings.disruptions(); i++) {
            moments.add((long) (random.nextDouble() * window));
        }
        Collections.sort(moments);
        List<Kind> kinds = kinds(settings.disruptions());
        List<Disruption> done = new ArrayList<>();
        for (int i = 0; i < moments.size(); i++) {
            waitSupervising(sendStart + moments.get(i));
            List<Integer> up = awaitUp();
            if (up.isEmpty()) {
                out.printf("disruption %d/%d skipped: no instance running within %s%n", i + 1,
                        settings.disruptions(), UP_TIMEOUT);
                continue;
            }
            Disruption disruption = disrupt(kinds.get(i), up.get(random.nextInt(up.size())), sendStart);
            done.add(disruption);
            out.printf("disruption %d/%d %s%n", done.size(), settings.disruptions(), disruption.describe());
        }
        return done;
    }

    private List<Kind> kinds(int count) {
        List<Kind> kinds = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            kinds.add(i < Kind.values().length ? Kind.values()[i]
                    : Kind.values()[random.nextInt(Kind.values().length)]);
        }
        Collections.shuffle(kinds, random);
        return kinds;
    }

    private Disruption disrupt(Kind kind, int i, long sendStart) throws InterruptedException {
        HelpstreamProcess instance = fleet.instance(i);
        Duration at = Duration.ofNanos(System.nanoTime() - sendStart);
        long pid = instance.pid();
        long begin = System.nanoTime();
        int exit = -1;
        fleet.hold(i);
        try {
            switch (kind) {
                case SIGKILL -> {
                    exit = instance.kill();
                    instance.start();
                }
                case SIGTERM -> {
                    exit = instance.terminate(HelpstreamProcess.STOP_GRACE);
                    instance.start();
                }
                case SCALE -> {
                    exit = instance.terminate(HelpstreamProcess.STOP_GRACE);
                    waitSupervising(System.nanoTime() + settings.downFor().toNanos());
                    instance.start();
                }
                case PAUSE -> {
                    instance.pause();
                    waitSupervising(System.nanoTime() + settings.downFor().toNanos());
                    instance.resume();
                }
            }
        } finally {
            fleet.release(i);
        }
        Duration lasted = kind == Kind.SCALE || kind == Kind.PAUSE ? Duration.ofNanos(System.nanoTime() - begin)
                : Duration.ZERO;
        return new Disruption(kind, at, i, pid, lasted, exit);
    }

    private List<Integer> awaitUp() throws InterruptedException {
        long deadline = System.nanoTime() + UP_TIMEOUT.toNanos();
        List<Integer> up = fleet.up();
        while (up.isEmpty() && System.nanoTime() < deadline) {
            waitSupervising(System.nanoTime() + SUPERVISE_EVERY.toNanos());
            up = fleet.up();
        }
        return up;
    }

    private void waitSupervising(long until) throws InterruptedException {
        while (true) {
            fleet.supervise(out);
            long wait = until - System.nanoTime();
            if (wait <= 0) {
                return;
            }
            Thread.sleep(Math.min(wait / 1_000_000 + 1, SUPERVISE_EVERY.toMillis()));
        }
    }
}
