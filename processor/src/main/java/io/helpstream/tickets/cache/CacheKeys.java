package io.helpstream.tickets.cache;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The cache keys of look-ups: an HMAC-SHA256 of the email or question with a secret, so that no personal data appears
 * in key names (which show up in {@code SCAN}, {@code MONITOR} and slow logs), a key cannot be traced back to an email
 * by hashing guesses, and keys stay short whatever the input length.
 */
final class CacheKeys {

    private static final Pattern WHITESPACE = Pattern.compile("\\s+");
    private static final Pattern TRAILING_PUNCTUATION = Pattern.compile("[\\p{Punct}\\s]+$");
    private static final String HMAC = "HmacSHA256";

    private final SecretKeySpec secret;

    private CacheKeys(byte[] secret) {
        this.secret = new SecretKeySpec(secret, HMAC);
    }

    /** Keys with the settings' secret, or with a random one of this process when none is set. */
    static CacheKeys of(CacheSettings settings) {
        return settings.keySecret().map(secret -> new CacheKeys(secret.getBytes(StandardCharsets.UTF_8)))
                .orElseGet(() -> {
                    byte[] random = new byte[32];
                    new SecureRandom().nextBytes(random);
                    return new CacheKeys(random);
                });
    }

    /** What authenticates cached values, with a key derived from the same secret. */
    CacheValues values() {
        return new CacheValues(secret);
    }

    /** {@code customer:<HMAC of the trimmed, lower-cased email>}. */
    String customer(String email) {
        Objects.requireNonNull(email, "email");
        return "customer:" + hmac(email.trim().toLowerCase(Locale.ROOT));
    }

    /** {@code faq:<HMAC of the normalised question>}. */
    String faq(String question) {
        return "faq:" + hmac(normaliseQuestion(question));
    }

    /**
     * Lower case, runs of whitespace collapsed to one space, trailing punctuation dropped, so that
     * "Return  policy?" and "return policy" share an entry.
     */
    static String normaliseQuestion(String question) {
        Objects.requireNonNull(question, "question");
        String collapsed = WHITESPACE.matcher(question.toLowerCase(Locale.ROOT)).replaceAll(" ").trim();
        return TRAILING_PUNCTUATION.matcher(collapsed).replaceAll("");
    }

    private String hmac(String text) {
        try {
            Mac mac = Mac.getInstance(HMAC);
            mac.init(secret);
            return HexFormat.of().formatHex(mac.doFinal(text.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every Java runtime provides HmacSHA256", e);
        }
    }
}
