package io.helpstream.harness;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The outcome of a crash test: what ran, every kill, the figures and the invariants with their violation counts.
 *
 * @param settings how it ran
 * @param runId    prefix of this run's conversation and message ids
 * @param kills    the kills, in order
 * @param total    wall-clock time of the whole run
 * @param drain    time from the last message sent to the last reply
 * @param verdict  what the checks found
 */
record CrashReport(CrashSettings settings, String runId, List<Kill> kills, Duration total, Duration drain,
                   Verdict verdict) {

    CrashReport {
        Objects.requireNonNull(settings, "settings");
        kills = List.copyOf(kills);
    }

    boolean passed() {
        return verdict.passed();
    }

    String render() {
        List<String> lines = new ArrayList<>();
        lines.add("helpstream crash test " + (passed() ? "PASSED" : "FAILED") + " (run " + runId + ", seed "
                + settings.seed() + ")");
        lines.add(String.format("  %-58s %d", "messages", settings.messages()));
        lines.add(String.format("  %-58s %d", "conversations", settings.conversations()));
        lines.add(String.format("  %-58s %d", "kills (SIGKILL)", kills.size()));
        lines.add(String.format("  %-58s %d", "restarts", kills.size()));
        lines.add(String.format("  %-58s %d", "kills while starting or restoring",
                kills.stream().filter(kill -> !kill.wasRunning()).count()));
        lines.add(String.format("  %-58s %.1f s", "total time", total.toMillis() / 1000.0));
        lines.add(String.format("  %-58s %.1f s", "sending time (" + settings.rate() + " msg/s)",
                settings.sendingTime().toMillis() / 1000.0));
        lines.add(String.format("  %-58s %.1f s", "from last message sent to last reply", drain.toMillis() / 1000.0));
        lines.addAll(verdict.lines());
        lines.add("  kills:");
        for (int i = 0; i < kills.size(); i++) {
            Kill kill = kills.get(i);
            lines.add(String.format("    #%-3d at %6.1f s: pid %d after %.1f s %s, exit %d%s", i + 1,
                    kill.at().toMillis() / 1000.0, kill.pid(), kill.uptime().toMillis() / 1000.0,
                    kill.wasRunning() ? "running" : "starting", kill.exitValue(),
                    kill.bySigkill() ? " (SIGKILL)" : " (NOT SIGKILL)"));
        }
        return String.join(System.lineSeparator(), lines) + System.lineSeparator();
    }
}
