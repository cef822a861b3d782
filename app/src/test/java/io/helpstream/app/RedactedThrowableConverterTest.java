package io.helpstream.app;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import io.helpstream.protection.Redaction;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** Stack traces in the production log format show a library's message (which may quote a customer) only at DEBUG. */
class RedactedThrowableConverterTest {

    static final String SECRET = "my card 4111 1111 1111 1111";

    /** A failure whose cause, thrown by the JDK, quotes what a customer wrote. */
    static RuntimeException failure() {
        try {
            Integer.parseInt(SECRET);
            throw new AssertionError("parsed");
        } catch (NumberFormatException e) {
            return new IllegalStateException("ticket TICK001 could not be updated", e);
        }
    }

    @Test
    void should_leave_out_a_library_message_quoting_the_customer_and_keep_helpstreams_own() {
        try (LogLines logs = new LogLines()) {
            LoggerFactory.getLogger(RedactedThrowableConverterTest.class).error("The update failed", failure());

            assertThat(logs.lines()).singleElement().satisfies(line -> assertThat(line)
                    .doesNotContain("4111")
                    .contains("java.lang.IllegalStateException: ticket TICK001 could not be updated")
                    .contains("Caused by: java.lang.NumberFormatException: " + Redaction.HIDDEN)
                    .contains("at java.base/java.lang.Integer.parseInt"));
        }
    }

    @Test
    void should_show_every_message_when_the_root_logger_is_at_debug() {
        try (LogLines logs = new LogLines()) {
            Logger root = (Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME);
            root.setLevel(Level.DEBUG);
            LoggerFactory.getLogger(RedactedThrowableConverterTest.class).error("The update failed", failure());

            assertThat(logs.lines()).singleElement().satisfies(line -> assertThat(line).contains(SECRET));
        }
    }
}
