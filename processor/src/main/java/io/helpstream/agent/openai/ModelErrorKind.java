package io.helpstream.agent.openai;

import dev.langchain4j.exception.AuthenticationException;
import dev.langchain4j.exception.HttpException;
import dev.langchain4j.exception.InternalServerException;
import dev.langchain4j.exception.InvalidRequestException;
import dev.langchain4j.exception.ModelNotFoundException;
import dev.langchain4j.exception.RateLimitException;
import dev.langchain4j.exception.TimeoutException;
import dev.langchain4j.exception.UnresolvedModelServerException;
import io.github.resilience4j.bulkhead.BulkheadFullException;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.ratelimiter.RequestNotPermitted;
import java.io.IOException;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.util.Locale;

/** Why a model call failed, read from LangChain4j's exception types and the HTTP status underneath them. */
public enum ModelErrorKind {
    /** 429: retried, after the server's {@code Retry-After} when it sends one. */
    RATE_LIMITED(true, true),
    /** 5xx. */
    SERVER_ERROR(true, true),
    /** No answer within the per-call timeout (or a 408). */
    TIMEOUT(true, true),
    /** Connection refused or reset, unknown host. */
    UNREACHABLE(true, true),
    /** 401/403: the key is wrong; retrying cannot help, but the server is unusable, so the breaker counts it. */
    AUTHENTICATION(false, true),
    /** 404: wrong base URL or model name. */
    NOT_FOUND(false, true),
    /** Another 4xx: this request is at fault, not the server. */
    INVALID_REQUEST(false, false),
    /** The circuit breaker is open: no call was made. */
    BREAKER_OPEN(false, false),
    /** No call slot or rate-limit permit within the wait: no call was made. */
    REJECTED(false, false),
    /** Anything else (e.g. an answer that could not be read). */
    OTHER(false, false);

    private final boolean retriable;
    private final boolean serverFault;

    ModelErrorKind(boolean retriable, boolean serverFault) {
        this.retriable = retriable;
        this.serverFault = serverFault;
    }

    /** Whether a retry of the same call may succeed. */
    public boolean retriable() {
        return retriable;
    }

    /** Whether the failure says the server is unusable, so the circuit breaker counts it. */
    public boolean serverFault() {
        return serverFault;
    }

    /** The metric tag and log wording: {@code rate_limited}, {@code server_error}, ... */
    public String tag() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static ModelErrorKind of(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            ModelErrorKind kind = direct(t);
            if (kind != null) {
                return kind;
            }
        }
        return OTHER;
    }

    private static ModelErrorKind direct(Throwable t) {
        if (t instanceof CallNotPermittedException) {
            return BREAKER_OPEN;
        }
        if (t instanceof BulkheadFullException || t instanceof RequestNotPermitted) {
            return REJECTED;
        }
        if (t instanceof RateLimitException) {
            return RATE_LIMITED;
        }
        if (t instanceof InternalServerException) {
            return SERVER_ERROR;
        }
        if (t instanceof TimeoutException || t instanceof HttpTimeoutException
                || t instanceof java.util.concurrent.TimeoutException || t instanceof java.net.SocketTimeoutException) {
            return TIMEOUT;
        }
        if (t instanceof AuthenticationException) {
            return AUTHENTICATION;
        }
        if (t instanceof ModelNotFoundException) {
            return NOT_FOUND;
        }
        if (t instanceof InvalidRequestException) {
            return INVALID_REQUEST;
        }
        if (t instanceof HttpException http) {
            return ofStatus(http.statusCode());
        }
        // Only the JDK's own I/O failures: a JSON parser's IOException is a bad answer, not an unreachable server.
        if (t instanceof UnresolvedModelServerException || t instanceof UnresolvedAddressException
                || t instanceof IOException && t.getClass().getName().startsWith("java.")) {
            return UNREACHABLE;
        }
        return null;
    }

    static ModelErrorKind ofStatus(int status) {
        if (status == 429) {
            return RATE_LIMITED;
        }
        if (status == 408) {
            return TIMEOUT;
        }
        if (status == 401 || status == 403) {
            return AUTHENTICATION;
        }
        if (status == 404) {
            return NOT_FOUND;
        }
        if (status >= 500) {
            return SERVER_ERROR;
        }
        return status >= 400 ? INVALID_REQUEST : OTHER;
    }
}
