package io.helpstream.security;

import io.helpstream.schema.PendingVerification;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Locale;
import java.util.UUID;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * One-time codes that prove a claimed email: six random digits from {@link SecureRandom}, kept only as an
 * HMAC-SHA256 under a random salt of their own, so that the conversation's state (and its changelog) holds nothing a
 * reader could type. Checking compares in constant time.
 */
public final class VerificationCodes {

    public static final int DIGITS = 6;
    private static final int SALT_BYTES = 16;
    private static final SecureRandom RANDOM = new SecureRandom();

    /** How a typed code fared. */
    public enum Check {
        /** The code is right and in time: the email is verified. */
        PASSED,
        /** Wrong code; attempts may be left. */
        WRONG,
        /** The code's lifetime is over. */
        EXPIRED,
        /** Every attempt was used. */
        EXHAUSTED,
        /** No code is waiting. */
        NONE
    }

    /** A new code in clear (to send, once) and what the conversation keeps of it. */
    public record Issued(String code, PendingVerification pending) {
    }

    private VerificationCodes() {
    }

    public static Issued issue(String email, Instant now, VerificationSettings settings) {
        String code = String.format(Locale.ROOT, "%0" + DIGITS + "d", RANDOM.nextInt(1_000_000));
        byte[] salt = new byte[SALT_BYTES];
        RANDOM.nextBytes(salt);
        PendingVerification pending = PendingVerification.newBuilder()
                .setRequestId(UUID.randomUUID().toString())
                .setEmail(email)
                .setSalt(ByteBuffer.wrap(salt))
                .setCodeHash(ByteBuffer.wrap(hash(salt, code)))
                .setExpiresAt(now.plus(settings.codeLifetime()))
                .setFailedAttempts(0)
                .build();
        return new Issued(code, pending);
    }

    /**
     * Checks a typed code against the pending one; {@code failedBefore} wrong codes were typed for it already
     * (stored ones and those of the running turn). Spaces and dashes in what was typed are ignored.
     */
    public static Check check(PendingVerification pending, String typed, Instant at, int failedBefore,
                              VerificationSettings settings) {
        if (pending == null) {
            return Check.NONE;
        }
        if (failedBefore >= settings.maxAttempts()) {
            return Check.EXHAUSTED;
        }
        if (at.isAfter(pending.getExpiresAt())) {
            return Check.EXPIRED;
        }
        String code = typed == null ? "" : typed.replaceAll("[\\s-]", "");
        byte[] expected = bytes(pending.getCodeHash());
        return code.matches("\\d{" + DIGITS + "}") && MessageDigest.isEqual(expected, hash(bytes(pending.getSalt()),
                code)) ? Check.PASSED : Check.WRONG;
    }

    static byte[] hash(byte[] salt, String code) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(salt, "HmacSHA256"));
            return mac.doFinal(code.getBytes(StandardCharsets.US_ASCII));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("every Java platform has HmacSHA256", e);
        }
    }

    private static byte[] bytes(ByteBuffer buffer) {
        ByteBuffer copy = buffer.duplicate();
        byte[] bytes = new byte[copy.remaining()];
        copy.get(bytes);
        return bytes;
    }
}
