package io.helpstream.app;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.pattern.ThrowableProxyConverter;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.StackTraceElementProxy;
import io.helpstream.protection.Redaction;
import java.util.Arrays;

/**
 * Logback's stack trace ({@code %redactedEx} in {@code logback.xml}) with each exception's message shown only where
 * {@link Redaction} allows it, whoever logged the exception (helpstream, Kafka Streams, a library): other messages,
 * which may quote a model server's error body or a customer's words, become {@value Redaction#HIDDEN}. With
 * {@code HELPSTREAM_LOG_LEVEL=DEBUG} (the root logger at DEBUG) every message is shown.
 */
public final class RedactedThrowableConverter extends ThrowableProxyConverter {

    @Override
    protected String throwableProxyToString(IThrowableProxy proxy) {
        return super.throwableProxyToString(debugging() ? proxy : new Redacted(proxy));
    }

    private boolean debugging() {
        return getContext() instanceof LoggerContext context
                && context.getLogger(Logger.ROOT_LOGGER_NAME).isDebugEnabled();
    }

    /** The exception as logged, with its message, its causes' and its suppressed ones' redacted. */
    private record Redacted(IThrowableProxy proxy) implements IThrowableProxy {

        @Override
        public String getMessage() {
            String message = proxy.getMessage();
            StackTraceElementProxy[] frames = proxy.getStackTraceElementProxyArray();
            String thrownIn = frames == null || frames.length == 0 ? null
                    : frames[0].getStackTraceElement().getClassName();
            return message == null || Redaction.messageShown(proxy.getClassName(), thrownIn) ? message
                    : Redaction.HIDDEN;
        }

        @Override
        public String getClassName() {
            return proxy.getClassName();
        }

        @Override
        public StackTraceElementProxy[] getStackTraceElementProxyArray() {
            return proxy.getStackTraceElementProxyArray();
        }

        @Override
        public int getCommonFrames() {
            return proxy.getCommonFrames();
        }

        @Override
        public IThrowableProxy getCause() {
            return proxy.getCause() == null ? null : new Redacted(proxy.getCause());
        }

        @Override
        public IThrowableProxy[] getSuppressed() {
            IThrowableProxy[] suppressed = proxy.getSuppressed();
            return suppressed == null ? null : Arrays.stream(suppressed).map(Redacted::new)
                    .toArray(IThrowableProxy[]::new);
        }

        @Override
        public boolean isCyclic() {
            return proxy.isCyclic();
        }
    }
}
