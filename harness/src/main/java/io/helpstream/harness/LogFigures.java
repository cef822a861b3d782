package io.helpstream.harness;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the processors' log lines tell about the run, counted as they reach the logs: conversations resumed by a task
 * that started, fences claimed, and turns ended by their fence (a write refused because a newer owner had claimed
 * their task, or because their own task had closed). Fed by the threads that follow the logs.
 */
final class LogFigures implements Consumer<String> {

    private static final Pattern RESUMED = Pattern.compile("resumed (\\d+) conversations with unanswered messages");
    private static final String CLAIMED = " claimed epoch ";
    /** How a turn that ends with a refused write is logged by the executor that ran it. */
    private static final String FENCED = "FencedException";

    private final AtomicInteger resumed = new AtomicInteger();
    private final AtomicInteger claims = new AtomicInteger();
    private final AtomicInteger refused = new AtomicInteger();

    @Override
    public void accept(String line) {
        Matcher matcher = RESUMED.matcher(line);
        if (matcher.find()) {
            resumed.addAndGet(Integer.parseInt(matcher.group(1)));
        } else if (line.contains(CLAIMED)) {
            claims.incrementAndGet();
        } else if (line.contains(FENCED) && line.contains(" failed (attempt ")) {
            refused.incrementAndGet();
        }
    }

    int resumed() {
        return resumed.get();
    }

    int claims() {
        return claims.get();
    }

    int refused() {
        return refused.get();
    }
}
