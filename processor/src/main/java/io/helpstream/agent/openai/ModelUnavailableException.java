package io.helpstream.agent.openai;

import java.util.Objects;
import java.util.Optional;

/**
 * The chat model could not answer: it failed after its retries, or it was not asked at all (circuit breaker open,
 * no call slot). The turn can be answered another way (the agent falls back to the offline model).
 */
public final class ModelUnavailableException extends RuntimeException {

    private final String reason;

    /**
     * @param reason short machine-readable reason, e.g. {@code rate_limited}, {@code breaker_open}
     */
    public ModelUnavailableException(String reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    public String reason() {
        return reason;
    }

    /** The first {@code ModelUnavailableException} in the cause chain of {@code failure}. */
    public static Optional<ModelUnavailableException> in(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof ModelUnavailableException unavailable) {
                return Optional.of(unavailable);
            }
        }
        return Optional.empty();
    }
}
