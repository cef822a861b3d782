package io.helpstream.app;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import ch.qos.logback.core.Layout;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.joran.spi.JoranException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.LoggerFactory;

/**
 * Every line helpstream's logging would print at INFO and above while it is open, formatted exactly as the
 * production configuration ({@code logback.xml}'s {@code STDERR} appender) formats it, stack traces included: the
 * production configuration is put in place for the while (tests otherwise log with a {@code logback-test.xml}).
 */
final class LogLines extends AppenderBase<ILoggingEvent> implements AutoCloseable {

    private final Logger root = (Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME);
    private final Layout<ILoggingEvent> layout;
    private final List<String> lines = new CopyOnWriteArrayList<>();

    @SuppressWarnings("unchecked")
    LogLines() {
        configure("/logback.xml");
        OutputStreamAppender<ILoggingEvent> production = (OutputStreamAppender<ILoggingEvent>) root.getAppender(
                "STDERR");
        if (production == null) {
            throw new IllegalStateException("the production logback.xml is not the configuration in use");
        }
        layout = ((PatternLayoutEncoder) production.getEncoder()).getLayout();
        setContext(root.getLoggerContext());
        start();
        root.addAppender(this);
    }

    @Override
    protected void append(ILoggingEvent event) {
        if (event.getLevel().isGreaterOrEqual(Level.INFO)) {
            lines.add(layout.doLayout(event));
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
