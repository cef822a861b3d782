package io.helpstream.bench;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.AppenderBase;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.slf4j.LoggerFactory;

/**
 * Counts what the application logs at WARN and ERROR while attached (logback, the application's logging backend),
 * by logger, and keeps the first few ERROR lines with their exception, so that a benchmark can say whether anything
 * went wrong besides its figures.
 */
final class LogWatch extends AppenderBase<ILoggingEvent> implements AutoCloseable {

    private static final int KEPT = 10;

    private final Map<String, Integer> warnings = new TreeMap<>();
    private final Map<String, Integer> errors = new TreeMap<>();
    private final List<String> firstErrors = new ArrayList<>();

    static LogWatch attach() {
        LogWatch watch = new LogWatch();
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        watch.setContext(root.getLoggerContext());
        watch.setName("bench-log-watch");
        watch.start();
        root.addAppender(watch);
        return watch;
    }

    @Override
    protected synchronized void append(ILoggingEvent event) {
        if (event.getLevel().isGreaterOrEqual(Level.ERROR)) {
            errors.merge(event.getLoggerName(), 1, Integer::sum);
            if (firstErrors.size() < KEPT) {
                IThrowableProxy thrown = event.getThrowableProxy();
                firstErrors.add(event.getLoggerName() + ": " + event.getFormattedMessage()
                        + (thrown == null ? "" : " [" + thrown.getClassName() + ": " + thrown.getMessage() + "]"));
            }
        } else if (event.getLevel().isGreaterOrEqual(Level.WARN)) {
            warnings.merge(event.getLoggerName(), 1, Integer::sum);
        }
    }

    synchronized int errorCount() {
        return errors.values().stream().mapToInt(Integer::intValue).sum();
    }

    synchronized Map<String, Integer> warningsByLogger() {
        return new TreeMap<>(warnings);
    }

    synchronized Map<String, Integer> errorsByLogger() {
        return new TreeMap<>(errors);
    }

    synchronized List<String> firstErrors() {
        return List.copyOf(firstErrors);
    }

    @Override
    public void close() {
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.detachAppender(this);
        stop();
    }
}
