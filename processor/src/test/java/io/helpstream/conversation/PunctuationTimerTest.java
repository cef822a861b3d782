package io.helpstream.conversation;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PunctuationTimerTest {

    @TempDir
    Path dir;

    @Test
    void should_time_each_step_in_the_metric_and_count_the_steps_past_each_bucket() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        PunctuationTimer steps = PunctuationTimer.register(registry, "expiry");

        steps.record("0_1", () -> sleep(25));
        steps.record("0_1", () -> { });

        Timer timer = registry.get("helpstream.punctuation").tag("kind", "expiry").timer();
        assertThat(timer.count()).isEqualTo(2);
        assertThat(timer.max(TimeUnit.MILLISECONDS)).isGreaterThanOrEqualTo(25);
        assertThat(timer.takeSnapshot().histogramCounts()).hasSize(PunctuationTimer.BUCKETS.length);
    }

    @Test
    void should_leave_one_flight_recording_event_per_step_with_its_kind_and_task() throws Exception {
        PunctuationTimer steps = PunctuationTimer.register(new SimpleMeterRegistry(), "apply");
        Path file = dir.resolve("steps.jfr");
        try (Recording recording = new Recording()) {
            recording.enable("io.helpstream.Punctuation");
            recording.start();
            steps.record("1_3", () -> sleep(5));
            recording.stop();
            recording.dump(file);
        }

        List<RecordedEvent> events = RecordingFile.readAllEvents(file).stream()
                .filter(event -> event.getEventType().getName().equals("io.helpstream.Punctuation")).toList();
        assertThat(events).hasSize(1);
        assertThat(events.get(0).getString("kind")).isEqualTo("apply");
        assertThat(events.get(0).getString("task")).isEqualTo("1_3");
        assertThat(events.get(0).getDuration().toMillis()).isGreaterThanOrEqualTo(5);
        assertThat(Files.size(file)).isPositive();
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
