package io.helpstream.bench;

import java.io.PrintStream;
import java.util.Locale;
import java.util.Objects;

/** Where the benchmarks write their figures: Markdown-friendly lines on a stream, flushed as they come. */
final class Report {

    private final PrintStream out;

    Report(PrintStream out) {
        this.out = Objects.requireNonNull(out, "out");
    }

    void heading(String text) {
        out.println();
        out.println("### " + text);
        out.println();
        out.flush();
    }

    void line(String format, Object... args) {
        out.println(String.format(Locale.ROOT, format, args));
        out.flush();
    }

    /** A goal line: met or missed, with what was measured against what was asked. */
    void goal(String what, boolean met, String measured) {
        line("- goal %s: **%s** (%s)", what, met ? "met" : "MISSED", measured);
    }
}
