package io.helpstream.tickets.cache;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * How to reach Redis and how long look-ups stay cached.
 *
 * @param redisUrl          {@code redis://host:port[/db]} (or {@code rediss://} for TLS)
 * @param keyPrefix         namespace put before every key, e.g. {@code helpstream:}
 * @param commandTimeout    how long one command (and one connection attempt) may take before it counts as failed
 * @param reconnectInterval the longest wait between two connection attempts while Redis does not answer
 * @param customerTtl       how long a customer profile stays cached
 * @param faqTtl            how long an FAQ answer stays cached
 * @param keySecret         the secret cache keys are an HMAC with, so that a key cannot be traced back to an email
 *                          by hashing guesses; instances share cache entries only when they share it. Empty: a
 *                          random secret of this process
 */
public record CacheSettings(String redisUrl, String keyPrefix, Duration commandTimeout, Duration reconnectInterval,
                            Duration customerTtl, Duration faqTtl, Optional<String> keySecret) {

    /** The shortest secret accepted: 32 characters, 256 bits of a random one. */
    public static final int MIN_KEY_SECRET_LENGTH = 32;

    public static final String DEFAULT_KEY_PREFIX = "helpstream:";
    public static final Duration DEFAULT_COMMAND_TIMEOUT = Duration.ofMillis(500);
    public static final Duration DEFAULT_RECONNECT_INTERVAL = Duration.ofSeconds(5);
    public static final Duration DEFAULT_CUSTOMER_TTL = Duration.ofHours(1);
    public static final Duration DEFAULT_FAQ_TTL = Duration.ofHours(24);

    public CacheSettings {
        Objects.requireNonNull(redisUrl, "redisUrl");
        if (!redisUrl.startsWith("redis://") && !redisUrl.startsWith("rediss://")) {
            throw new IllegalArgumentException("redisUrl must look like redis://host:port[/db], got: " + redisUrl);
        }
        Objects.requireNonNull(keyPrefix, "keyPrefix");
        if (keyPrefix.isBlank()) {
            throw new IllegalArgumentException("keyPrefix must not be blank: the cache shares Redis with others");
        }
        requirePositive(commandTimeout, "commandTimeout");
        requirePositive(reconnectInterval, "reconnectInterval");
        requirePositive(customerTtl, "customerTtl");
        requirePositive(faqTtl, "faqTtl");
        Objects.requireNonNull(keySecret, "keySecret");
        if (keySecret.isPresent() && keySecret.get().length() < MIN_KEY_SECRET_LENGTH) {
            throw new IllegalArgumentException("the cache key secret must have at least " + MIN_KEY_SECRET_LENGTH
                    + " characters");
        }
    }

    /** Never shows the secret. */
    @Override
    public String toString() {
        return "CacheSettings[redisUrl=" + redisUrl + ", keyPrefix=" + keyPrefix + ", commandTimeout="
                + commandTimeout + ", reconnectInterval=" + reconnectInterval + ", customerTtl=" + customerTtl
                + ", faqTtl=" + faqTtl + ", keySecret=" + (keySecret.isPresent() ? "(set)" : "(random)") + "]";
    }

    /** The same settings with cache keys made with {@code secret}. */
    public CacheSettings withKeySecret(String secret) {
        return new CacheSettings(redisUrl, keyPrefix, commandTimeout, reconnectInterval, customerTtl, faqTtl,
                Optional.of(secret));
    }

    /** Settings with the defaults (prefix {@code helpstream:}, 500 ms commands, customer 1 h, FAQ 24 h). */
    public static Builder builder(String redisUrl) {
        return new Builder(redisUrl);
    }

    private static void requirePositive(Duration value, String name) {
        Objects.requireNonNull(value, name);
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, got " + value);
        }
    }

    /** Builds {@link CacheSettings}, starting from the defaults. */
    public static final class Builder {
        private final String redisUrl;
        private String keyPrefix = DEFAULT_KEY_PREFIX;
        private Duration commandTimeout = DEFAULT_COMMAND_TIMEOUT;
        private Duration reconnectInterval = DEFAULT_RECONNECT_INTERVAL;
        private Duration customerTtl = DEFAULT_CUSTOMER_TTL;
        private Duration faqTtl = DEFAULT_FAQ_TTL;
        private Optional<String> keySecret = Optional.empty();

        private Builder(String redisUrl) {
            this.redisUrl = redisUrl;
        }

        public Builder keyPrefix(String keyPrefix) {
            this.keyPrefix = keyPrefix;
            return this;
        }

        public Builder commandTimeout(Duration commandTimeout) {
            this.commandTimeout = commandTimeout;
            return this;
        }

        public Builder reconnectInterval(Duration reconnectInterval) {
            this.reconnectInterval = reconnectInterval;
            return this;
        }

        public Builder customerTtl(Duration customerTtl) {
            this.customerTtl = customerTtl;
            return this;
        }

        public Builder faqTtl(Duration faqTtl) {
            this.faqTtl = faqTtl;
            return this;
        }

        public Builder keySecret(String keySecret) {
            this.keySecret = Optional.of(keySecret);
            return this;
        }

        public CacheSettings build() {
            return new CacheSettings(redisUrl, keyPrefix, commandTimeout, reconnectInterval, customerTtl, faqTtl,
                    keySecret);
        }
    }
}
