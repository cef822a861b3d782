package io.helpstream.harness;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Counts, in the processor's log lines, the conversations whose unanswered messages a restored task picked up again:
 * how often a kill landed mid-turn. Fed by the thread that follows the log; read by the run.
 */
final class ResumedTurns implements Consumer<String> {

    /** What a task logs when, after a restart, it restarts the turns of messages that were not answered. */
    private static final Pattern RESUMED = Pattern.compile("resumed (\\d+) conversations with unanswered messages");

    private final AtomicInteger conversations = new AtomicInteger();

    @Override
    public void accept(String line) {
        Matcher matcher = RESUMED.matcher(line);
        if (matcher.find()) {
            conversations.addAndGet(Integer.parseInt(matcher.group(1)));
        }
    }

    /** Over every restart so far. */
    int conversations() {
        return conversations.get();
    }
}
