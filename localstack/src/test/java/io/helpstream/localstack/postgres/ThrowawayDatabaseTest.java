package io.helpstream.localstack.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ThrowawayDatabaseTest {

    @Test
    void should_make_a_plain_lower_case_identifier_of_the_label() {
        assertThat(ThrowawayDatabase.uniqueName("Crash-Run 7")).matches("helpstream_crash_run_7_[0-9a-f]{12}");
    }

    @Test
    void should_refuse_a_label_that_would_leave_nothing_or_too_long_a_name() {
        assertThatThrownBy(() -> ThrowawayDatabase.uniqueName("")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ThrowawayDatabase.uniqueName("x".repeat(31)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("1 to 30");
    }
}
