package io.helpstream.tickets.cache;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Objects;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Cached values as stored: {@code <HMAC-SHA256, base64url>.<JSON>}, the HMAC taken over the key and the JSON with a
 * key derived from the cache key secret. Whoever can write to Redis but does not hold the secret cannot make a value
 * that passes, nor move one to another key (another customer's, or a FAQ entry under a customer's key): such a value
 * is taken for a miss.
 */
final class CacheValues {

    private static final String HMAC = "HmacSHA256";
    /** Keeps the value key apart from the key names, which are HMACs with the secret itself. */
    private static final byte[] DERIVATION = "helpstream cache values v1".getBytes(StandardCharsets.UTF_8);
    private static final char SEPARATOR = '.';

    private final SecretKeySpec macKey;

    CacheValues(SecretKeySpec keySecret) {
        this.macKey = new SecretKeySpec(mac(new SecretKeySpec(DERIVATION, HMAC), keySecret.getEncoded()), HMAC);
    }

    String seal(String key, String json) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(tag(key, json)) + SEPARATOR + json;
    }

    /** The JSON of a value stored under {@code key} by {@link #seal}; empty when it is not one. */
    Optional<String> open(String key, String stored) {
        Objects.requireNonNull(stored, "stored");
        int separator = stored.indexOf(SEPARATOR);
        if (separator < 0) {
            return Optional.empty();
        }
        String json = stored.substring(separator + 1);
        byte[] claimed;
        try {
            claimed = Base64.getUrlDecoder().decode(stored.substring(0, separator));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        return MessageDigest.isEqual(claimed, tag(key, json)) ? Optional.of(json) : Optional.empty();
    }

    private byte[] tag(String key, String json) {
        return mac(macKey, (key + '\u0000' + json).getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] mac(SecretKeySpec key, byte[] data) {
        try {
            Mac mac = Mac.getInstance(HMAC);
            mac.init(key);
            return mac.doFinal(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every Java runtime provides HmacSHA256", e);
        }
    }
}
