package io.helpstream.harness;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the checks found: named figures (in the order first recorded) and violations of each invariant, counted, with
 * the first few examples kept for the report. Not thread-safe.
 */
final class Verdict {

    private static final int EXAMPLES = 5;

    private final Map<String, Long> figures = new LinkedHashMap<>();
    private final Map<String, Long> violations = new LinkedHashMap<>();
    private final Map<String, List<String>> examples = new LinkedHashMap<>();

    /** Records a figure that is not itself a violation (messages, tickets found, ...). */
    void figure(String name, long value) {
        figures.put(name, value);
    }

    /** Declares an invariant so that the report lists it with 0 when nothing breaks it. */
    void invariant(String name) {
        violations.putIfAbsent(name, 0L);
    }

    void violation(String invariant, String example) {
        violations.merge(invariant, 1L, Long::sum);
        List<String> kept = examples.computeIfAbsent(invariant, key -> new ArrayList<>());
        if (kept.size() < EXAMPLES) {
            kept.add(example);
        }
    }

    Map<String, Long> figures() {
        return Map.copyOf(figures);
    }

    long violations(String invariant) {
        return violations.getOrDefault(invariant, 0L);
    }

    boolean passed() {
        return violations.values().stream().allMatch(count -> count == 0);
    }

    /** One line per figure, then one per invariant with its count and examples. */
    List<String> lines() {
        List<String> lines = new ArrayList<>();
        figures.forEach((name, value) -> lines.add(String.format("  %-58s %d", name, value)));
        violations.forEach((name, count) -> {
            lines.add(String.format("  %-58s %d%s", name, count, count == 0 ? "" : "   <-- VIOLATED"));
            examples.getOrDefault(name, List.of()).forEach(example -> lines.add("      e.g. " + example));
        });
        return lines;
    }
}
