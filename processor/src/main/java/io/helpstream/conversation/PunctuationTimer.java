package io.helpstream.conversation;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/**
 * How long one kind of punctuator of the conversation processor holds the stream thread: the timer
 * {@code helpstream.punctuation{kind}}, with buckets that count the steps past 10, 20, 50 and 100 ms, and, while a
 * flight recording runs, one JFR event per step ({@code io.helpstream.Punctuation}: its kind and task). The event
 * places a long step among what else the recording saw at that moment (a collector pause, the thread waiting for a
 * CPU, a blocking call), which the timer alone cannot tell apart. Without a recording the event costs nothing.
 */
final class PunctuationTimer {

    /** Buckets of the timer: how often a step held the stream thread past each. */
    static final Duration[] BUCKETS = {Duration.ofMillis(10), Duration.ofMillis(20), Duration.ofMillis(50),
            Duration.ofMillis(100)};

    /** One step of a punctuator, as a flight recording keeps it. */
    @Name("io.helpstream.Punctuation")
    @Label("Punctuation")
    @Category("helpstream")
    @Description("One step of a punctuator of the conversation processor, on the stream thread")
    @StackTrace(false)
    static final class Step extends Event {
        @Label("Kind")
        String kind;
        @Label("Task")
        String task;
    }

    private final Timer timer;
    private final String kind;

    private PunctuationTimer(Timer timer, String kind) {
        this.timer = timer;
        this.kind = kind;
    }

    static PunctuationTimer register(MeterRegistry registry, String kind) {
        return new PunctuationTimer(Timer.builder("helpstream.punctuation").tag("kind", kind)
                .description("time one punctuator of the conversation processor held the stream thread")
                .serviceLevelObjectives(BUCKETS)
                .register(registry), kind);
    }

    /** Runs one step of task {@code task}'s punctuator, timed. */
    void record(String task, Runnable step) {
        Step event = new Step();
        event.begin();
        try {
            timer.record(step);
        } finally {
            event.end();
            if (event.shouldCommit()) {
                event.kind = kind;
                event.task = task;
                event.commit();
            }
        }
    }
}
