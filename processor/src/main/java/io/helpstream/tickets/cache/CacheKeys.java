package io.helpstream.tickets.cache;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The cache keys of look-ups. Emails and questions are hashed so that no personal data appears in key names (which
 * show up in {@code SCAN}, {@code MONITOR} and slow logs) and keys stay short whatever the input length.
 */
final class CacheKeys {

    private static final Pattern WHITESPACE = Pattern.compile("\\s+");
    private static final Pattern TRAILING_PUNCTUATION = Pattern.compile("[\\p{Punct}\\s]+$");

    private CacheKeys() {
    }

    /** {@code customer:<sha256 of the trimmed, lower-cased email>}. */
    static String customer(String email) {
        Objects.requireNonNull(email, "email");
        return "customer:" + sha256(email.trim().toLowerCase(Locale.ROOT));
    }

    /** {@code faq:<sha256 of the normalised question>}. */
    static String faq(String question) {
        return "faq:" + sha256(normaliseQuestion(question));
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

    private static String sha256(String text) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(digest.digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime provides SHA-256", e);
        }
    }
}
