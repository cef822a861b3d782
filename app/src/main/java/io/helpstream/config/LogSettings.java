package io.helpstream.config;

import java.util.Locale;
import java.util.Objects;

/**
 * How helpstream logs (to standard error): the format, and the level. Both are read by {@code logback.xml} itself,
 * from the first line on ({@code LogFormatDefiner}); read here too, so that a bad value stops start-up with a message
 * instead of silently logging otherwise.
 */
public record LogSettings(Format format, Level level) {

    /** Readable lines, or one JSON object per line with the logging context (conversation, message, trace ids). */
    public enum Format {
        TEXT("STDERR"), JSON("JSON");

        private final String appender;

        Format(String appender) {
            this.appender = appender;
        }

        /** The appender of {@code logback.xml} that writes this format. */
        public String appender() {
            return appender;
        }

        /** The format a value names (any case); {@code TEXT} for none. */
        public static Format of(String value) {
            return value == null || value.isBlank() ? TEXT : valueOf(value.trim().toUpperCase(Locale.ROOT));
        }
    }

    public enum Level { TRACE, DEBUG, INFO, WARN, ERROR }

    public LogSettings {
        Objects.requireNonNull(format, "format");
        Objects.requireNonNull(level, "level");
    }

    static LogSettings fromEnvironment(Env env) {
        return new LogSettings(env.choice("HELPSTREAM_LOG_FORMAT", Format.class, Format.TEXT),
                env.choice("HELPSTREAM_LOG_LEVEL", Level.class, Level.INFO));
    }
}
