package io.helpstream.app;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.encoder.Encoder;
import ch.qos.logback.core.joran.spi.JoranException;
import io.helpstream.config.LogSettings;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.LoggerFactory;

/**
 * Every line helpstream's logging would print at INFO and above while it is open, formatted exactly as the
 * production configuration ({@code logback.xml}) formats it in the given format, stack traces included: the
 * production configuration is put in place for the while (tests otherwise log with a {@code logback-test.xml}).
 */
final class LogLines extends AppenderBase<ILoggingEvent> implements AutoCloseable {

    private static final String FORMAT = "HELPSTREAM_LOG_FORMAT";

    private final Logger root = (Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME);
    private final Encoder<ILoggingEvent> encoder;
    private final List<String> lines = new CopyOnWriteArrayList<>();

    /** The lines as the default (text) format prints them. */
    LogLines() {
        this(LogSettings.Format.TEXT);
    }

    /** The lines as {@code HELPSTREAM_LOG_FORMAT=json} prints them: one JSON object each. */
    static LogLines json() {
        return new LogLines(LogSettings.Format.JSON);
    }

    @SuppressWarnings("unchecked")
    private LogLines(LogSettings.Format format) {
        // logback.xml reads the format from a system property as readily as from the environment.
        String before = System.getProperty(FORMAT);
        System.setProperty(FORMAT, format.name().toLowerCase(java.util.Locale.ROOT));
        try {
            configure("/logback.xml");
        } finally {
            if (before == null) {
                System.clearProperty(FORMAT);
            } else {
                System.setProperty(FORMAT, before);
            }
        }
        OutputStreamAppender<ILoggingEvent> production = (OutputStreamAppender<ILoggingEvent>) root.getAppender(
                format.appender());
        if (production == null) {
            throw new IllegalStateException("the production logback.xml does not log " + format + " through its "
                    + format.appender() + " appender");
        }
        encoder = production.getEncoder();
        setContext(root.getLoggerContext());
        start();
        root.addAppender(this);
    }

    @Override
    protected void append(ILoggingEvent event) {
        if (event.getLevel().isGreaterOrEqual(Level.INFO)) {
            lines.add(new String(encoder.encode(event), java.nio.charset.StandardCharsets.UTF_8));
        }
    }

    List<String> lines() {
        return List.copyOf(lines);
    }

    @Override
    public void close() {
        root.detachAppender(this);
        stop();
        // Back to the tests' own configuration (the processor's test fixtures bring one).
        if (LogLines.class.getResource("/logback-test.xml") != null) {
            configure("/logback-test.xml");
        }
    }

    /** The logging configured from a configuration file on the class path, as logback does it at start. */
    private void configure(String resource) {
        LoggerContext context = root.getLoggerContext();
        context.reset();
        JoranConfigurator configurator = new JoranConfigurator();
        configurator.setContext(context);
        try {
            configurator.doConfigure(LogLines.class.getResource(resource));
        } catch (JoranException e) {
            throw new IllegalStateException("cannot configure logging from " + resource, e);
        }
    }
}
