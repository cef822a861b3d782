package io.helpstream.protection;

import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What of a failure may be shown where customer data must not go (logs above DEBUG, dead-letter reasons): every
 * exception's class, and its message only when it was written by helpstream's own code or comes from a library whose
 * messages are about infrastructure (Kafka, the network, Redis, the connection pool). Messages of other libraries may
 * quote the data they failed on — a model server's error body, a JSON value, a database row — and are left out.
 * helpstream's own messages name ids, sizes and codes, never a customer's text, email or phone number.
 */
public final class Redaction {

    /** Stands for a message left out. */
    public static final String HIDDEN = "(message shown at DEBUG)";

    private static final List<String> SAFE_SOURCES = List.of("io.helpstream.", "org.apache.kafka.", "java.net.",
            "io.lettuce.", "com.zaxxer.hikari.", "io.github.resilience4j.");
    private static final int MAX_CAUSES = 10;

    private Redaction() {
    }

    /**
     * True when the message of an exception of {@code exceptionClass}, thrown in {@code thrownIn} (the class of its
     * first stack frame; null when unknown), may be shown.
     */
    public static boolean messageShown(String exceptionClass, String thrownIn) {
        return safe(exceptionClass) || thrownIn != null && thrownIn.startsWith("io.helpstream.");
    }

    /** {@code Class: message} of the failure and each cause, messages only where {@link #messageShown shown}. */
    public static String describe(Throwable failure) {
        StringBuilder text = new StringBuilder();
        Set<Throwable> seen = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
        Throwable t = failure;
        for (int depth = 0; t != null && depth < MAX_CAUSES && seen.add(t); depth++, t = t.getCause()) {
            if (depth > 0) {
                text.append("; caused by ");
            }
            text.append(line(t));
        }
        return text.toString();
    }

    /** The failure's own message where {@link #messageShown shown}, else {@link #HIDDEN}; null when it has none. */
    public static String message(Throwable failure) {
        return failure.getMessage() == null ? null : line(failure).substring(failure.getClass().getName().length() + 2);
    }

    /** The stack trace as {@link Throwable#printStackTrace} writes it, each message shown or left out as above. */
    public static String stackTrace(Throwable failure) {
        StringBuilder text = new StringBuilder();
        Map<Throwable, Boolean> seen = new IdentityHashMap<>();
        Throwable t = failure;
        for (int depth = 0; t != null && depth < MAX_CAUSES && seen.put(t, true) == null; depth++, t = t.getCause()) {
            text.append(depth == 0 ? "" : "Caused by: ").append(line(t)).append('\n');
            for (StackTraceElement frame : t.getStackTrace()) {
                text.append("\tat ").append(frame).append('\n');
            }
        }
        return text.toString();
    }

    private static String line(Throwable t) {
        String message = t.getMessage();
        if (message == null) {
            return t.getClass().getName();
        }
        StackTraceElement[] frames = t.getStackTrace();
        String thrownIn = frames.length == 0 ? null : frames[0].getClassName();
        return t.getClass().getName() + ": " + (messageShown(t.getClass().getName(), thrownIn) ? message : HIDDEN);
    }

    private static boolean safe(String exceptionClass) {
        return SAFE_SOURCES.stream().anyMatch(exceptionClass::startsWith);
    }
}
