package io.helpstream.desk;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The agents signed in to the desk, each under a random session id (256 bits, the value of its cookie) that lasts
 * {@code lifetime}. At most {@code maxSessions} are kept: a sign-in past that signs the oldest session out, so that
 * signing in always works and memory stays bounded. Sessions live in this instance's memory only: a restart, or
 * another instance behind a load balancer, asks the agent to sign in again.
 */
public final class DeskSessions {

    private static final SecureRandom RANDOM = new SecureRandom();

    private record Session(DeskAgent agent, Instant expiresAt) {
    }

    private final int maxSessions;
    private final Duration lifetime;
    private final Clock clock;
    private final Map<String, Session> sessions = new LinkedHashMap<>();

    public DeskSessions(int maxSessions, Duration lifetime, Clock clock) {
        if (maxSessions < 1) {
            throw new IllegalArgumentException("maxSessions must be at least 1");
        }
        this.maxSessions = maxSessions;
        this.lifetime = Objects.requireNonNull(lifetime, "lifetime");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** A new session for {@code agent}; its id, for the cookie. */
    public synchronized String open(DeskAgent agent) {
        Objects.requireNonNull(agent, "agent");
        dropExpired();
        while (sessions.size() >= maxSessions) {
            Iterator<String> oldest = sessions.keySet().iterator();
            oldest.next();
            oldest.remove();
        }
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        String id = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        sessions.put(id, new Session(agent, clock.instant().plus(lifetime)));
        return id;
    }

    /** The agent of a session that is open and not expired. */
    public synchronized Optional<DeskAgent> agent(String sessionId) {
        if (sessionId == null) {
            return Optional.empty();
        }
        Session session = sessions.get(sessionId);
        if (session == null) {
            return Optional.empty();
        }
        if (!clock.instant().isBefore(session.expiresAt())) {
            sessions.remove(sessionId);
            return Optional.empty();
        }
        return Optional.of(session.agent());
    }

    public synchronized void close(String sessionId) {
        if (sessionId != null) {
            sessions.remove(sessionId);
        }
    }

    public synchronized int size() {
        return sessions.size();
    }

    public Duration lifetime() {
        return lifetime;
    }

    private void dropExpired() {
        Instant now = clock.instant();
        sessions.values().removeIf(session -> !now.isBefore(session.expiresAt()));
    }
}
