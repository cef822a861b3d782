package io.helpstream.security;

import java.time.Duration;
import java.util.Objects;

/**
 * How a claimed email is verified.
 *
 * @param maxAttempts  wrong codes typed before the code is dropped (a new one may be requested)
 * @param codeLifetime how long a code is accepted after it was made
 */
public record VerificationSettings(int maxAttempts, Duration codeLifetime) {

    public static final int DEFAULT_MAX_ATTEMPTS = 5;
    public static final Duration DEFAULT_CODE_LIFETIME = Duration.ofMinutes(10);

    public VerificationSettings {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be >= 1, was " + maxAttempts);
        }
        Objects.requireNonNull(codeLifetime, "codeLifetime");
        if (codeLifetime.isNegative() || codeLifetime.isZero()) {
            throw new IllegalArgumentException("codeLifetime must be positive, was " + codeLifetime);
        }
    }

    public static VerificationSettings defaults() {
        return new VerificationSettings(DEFAULT_MAX_ATTEMPTS, DEFAULT_CODE_LIFETIME);
    }
}
