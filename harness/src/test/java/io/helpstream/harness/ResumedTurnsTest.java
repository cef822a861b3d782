package io.helpstream.harness;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ResumedTurnsTest {

    @Test
    void should_add_up_the_resumed_conversations_of_every_task_and_ignore_other_lines() {
        ResumedTurns resumed = new ResumedTurns();

        resumed.accept("00:00:01.000 INFO  [t-1] i.h.c.ConversationProcessor - Task 0_1 resumed 3 conversations "
                + "with unanswered messages");
        resumed.accept("helpstream is running; Kafka at 127.0.0.1:9092. Ctrl-C stops it.");
        resumed.accept("00:00:02.000 INFO  [t-1] i.h.c.ConversationProcessor - Task 0_3 resumed 2 conversations "
                + "with unanswered messages");

        assertThat(resumed.conversations()).isEqualTo(5);
    }
}
