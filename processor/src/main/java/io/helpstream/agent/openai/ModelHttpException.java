package io.helpstream.agent.openai;

import dev.langchain4j.exception.HttpException;
import java.time.Duration;
import java.util.Optional;

/**
 * An HTTP error answer of the model server, with the wait it asked for in {@code Retry-After}. LangChain4j's own
 * {@link HttpException} drops the headers; this one travels as the cause of the exception LangChain4j maps the status
 * to ({@code RateLimitException}, {@code InternalServerException}, ...), so the retry can read it.
 */
public final class ModelHttpException extends HttpException {

    private final transient Duration retryAfter;

    public ModelHttpException(int statusCode, String body, Duration retryAfter) {
        super(statusCode, body);
        this.retryAfter = retryAfter;
    }

    /** The server's {@code Retry-After}, if it sent one that could be read. */
    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }

    /** The first {@code ModelHttpException} in the cause chain of {@code failure}. */
    public static Optional<ModelHttpException> in(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof ModelHttpException http) {
                return Optional.of(http);
            }
        }
        return Optional.empty();
    }
}
