package io.helpstream.config;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Objects;

/**
 * The bearer token that opens the endpoints showing customer data. Compared in constant time, so the time an answer
 * takes tells nothing about how much of a guess was right; never printed.
 */
public final class AdminToken {

    /** Shorter tokens are refused at start-up: the endpoint shows customer data. */
    public static final int MIN_LENGTH = 24;
    private static final String BEARER = "Bearer ";

    private final byte[] token;

    public AdminToken(String token) {
        Objects.requireNonNull(token, "token");
        if (token.length() < MIN_LENGTH) {
            throw new IllegalArgumentException("has " + token.length() + " characters; use at least " + MIN_LENGTH
                    + " random ones");
        }
        this.token = token.getBytes(StandardCharsets.UTF_8);
    }

    /** True when the {@code Authorization} header carries this token ({@code Bearer <token>}). */
    public boolean admits(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            return false;
        }
        byte[] given = authorization.substring(BEARER.length()).trim().getBytes(StandardCharsets.UTF_8);
        return MessageDigest.isEqual(token, given);
    }

    /** True when {@code given} is this token (typed into the desk's sign-in page), compared in constant time. */
    public boolean matches(String given) {
        return given != null && MessageDigest.isEqual(token, given.trim().getBytes(StandardCharsets.UTF_8));
    }

    /** The header value that carries this token, for a request forwarded to another instance. */
    public String authorization() {
        return BEARER + new String(token, StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return "AdminToken[***]";
    }
}
