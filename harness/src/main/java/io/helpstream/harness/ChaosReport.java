package io.helpstream.harness;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The outcome of a chaos test: what ran, every disruption, the model calls against an undisturbed run, the figures
 * and the invariants with their violation counts.
 *
 * @param drain time from the last message sent to the last reply
 */
record ChaosReport(ChaosSettings settings, String runId, List<Disruption> disruptions, ModelCalls modelCalls,
                   Duration total, Duration drain, Verdict verdict) {

    /**
     * @param made       calls the model answered
     * @param planned    calls an undisturbed run makes: every message's planned steps, each asked once
     * @param askedAgain calls that repeated a request asked before
     */
    record ModelCalls(long made, long planned, long askedAgain) {
        double ratio() {
            return planned == 0 ? 0 : (double) made / planned;
        }
    }

    ChaosReport {
        Objects.requireNonNull(settings, "settings");
        disruptions = List.copyOf(disruptions);
    }

    boolean passed() {
        return verdict.passed();
    }

    String render() {
        List<String> lines = new ArrayList<>();
        lines.add("helpstream chaos test " + (passed() ? "PASSED" : "FAILED") + " (run " + runId + ", seed "
                + settings.seed() + ")");
        line(lines, "messages", settings.messages());
        line(lines, "conversations", settings.conversations());
        line(lines, "instances", settings.instances());
        line(lines, "disruptions", disruptions.size());
        for (Disruption.Kind kind : Disruption.Kind.values()) {
            line(lines, "  " + kind, disruptions.stream().filter(d -> d.kind() == kind).count());
        }
        lines.add(String.format("  %-58s %.1f s", "total time", total.toMillis() / 1000.0));
        lines.add(String.format("  %-58s %.1f s", "sending time (" + settings.rate() + " msg/s)",
                settings.sendingTime().toMillis() / 1000.0));
        lines.add(String.format("  %-58s %.1f s", "from last message sent to last reply", drain.toMillis() / 1000.0));
        line(lines, "model calls", modelCalls.made());
        line(lines, "model calls an undisturbed run makes", modelCalls.planned());
        line(lines, "model calls repeating a request asked before", modelCalls.askedAgain());
        lines.add(String.format("  %-58s %.3f (%.3f vs %.3f per message)", "model calls ÷ undisturbed",
                modelCalls.ratio(), (double) modelCalls.made() / settings.messages(),
                (double) modelCalls.planned() / settings.messages()));
        lines.addAll(verdict.lines());
        lines.add("  disruptions:");
        for (int i = 0; i < disruptions.size(); i++) {
            lines.add(String.format("    #%-3d %s", i + 1, disruptions.get(i).describe()));
        }
        return String.join(System.lineSeparator(), lines) + System.lineSeparator();
    }

    private static void line(List<String> lines, String name, long value) {
        lines.add(String.format("  %-58s %d", name, value));
    }
}
