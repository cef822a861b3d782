package io.helpstream.config;

import java.time.Duration;
import java.util.Objects;

/**
 * The pages helpstream's HTTP server serves to people: the human-agent desk (behind the admin token) and the
 * customer chat page (the reference web gateway, off unless switched on). Every bound on what they hold in memory
 * or keep open is here.
 *
 * @param chatPage             serve the customer chat page; it asserts whatever email is typed into it, so only
 *                             where that is acceptable (a demo, a trial)
 * @param deskMaxHandoffs      open handoffs the desk keeps in memory; more are counted, not shown
 * @param deskMaxTimeline      events kept per handoff for its timeline; older ones are dropped, counted
 * @param deskMaxStreams       desk pages streaming events at once
 * @param deskMaxSessions      desk sign-ins kept at once; one more signs the oldest out
 * @param deskSessionLifetime  how long a desk sign-in lasts
 * @param chatMaxStreams       chat pages streaming replies at once
 * @param chatMaxConversations conversations the chat page remembers (to know their email); one more forgets the
 *                             least recently used
 * @param sendTimeout          longest a page's write to Kafka (an agent action, a customer message) may take
 */
public record PageSettings(boolean chatPage, int deskMaxHandoffs, int deskMaxTimeline, int deskMaxStreams,
                           int deskMaxSessions, Duration deskSessionLifetime, int chatMaxStreams,
                           int chatMaxConversations, Duration sendTimeout) {

    public static final int DEFAULT_DESK_MAX_HANDOFFS = 1_000;
    public static final int DEFAULT_DESK_MAX_TIMELINE = 200;
    public static final int DEFAULT_DESK_MAX_STREAMS = 50;
    public static final int DEFAULT_DESK_MAX_SESSIONS = 100;
    public static final Duration DEFAULT_DESK_SESSION_LIFETIME = Duration.ofHours(8);
    public static final int DEFAULT_CHAT_MAX_STREAMS = 100;
    public static final int DEFAULT_CHAT_MAX_CONVERSATIONS = 1_000;
    public static final Duration DEFAULT_SEND_TIMEOUT = Duration.ofSeconds(10);

    public PageSettings {
        positive("deskMaxHandoffs", deskMaxHandoffs);
        positive("deskMaxTimeline", deskMaxTimeline);
        positive("deskMaxStreams", deskMaxStreams);
        positive("deskMaxSessions", deskMaxSessions);
        positive("chatMaxStreams", chatMaxStreams);
        positive("chatMaxConversations", chatMaxConversations);
        Objects.requireNonNull(deskSessionLifetime, "deskSessionLifetime");
        Objects.requireNonNull(sendTimeout, "sendTimeout");
        if (deskSessionLifetime.isNegative() || deskSessionLifetime.isZero()
                || sendTimeout.isNegative() || sendTimeout.isZero()) {
            throw new IllegalArgumentException("durations must be positive");
        }
    }

    public static PageSettings defaults() {
        return new PageSettings(false, DEFAULT_DESK_MAX_HANDOFFS, DEFAULT_DESK_MAX_TIMELINE, DEFAULT_DESK_MAX_STREAMS,
                DEFAULT_DESK_MAX_SESSIONS, DEFAULT_DESK_SESSION_LIFETIME, DEFAULT_CHAT_MAX_STREAMS,
                DEFAULT_CHAT_MAX_CONVERSATIONS, DEFAULT_SEND_TIMEOUT);
    }

    /** The same settings with the chat page on. */
    public PageSettings withChatPage() {
        return new PageSettings(true, deskMaxHandoffs, deskMaxTimeline, deskMaxStreams, deskMaxSessions,
                deskSessionLifetime, chatMaxStreams, chatMaxConversations, sendTimeout);
    }

    static PageSettings fromEnvironment(Env env) {
        return new PageSettings(
                env.bool("HELPSTREAM_CHAT_PAGE", false),
                env.integer("HELPSTREAM_DESK_MAX_HANDOFFS", DEFAULT_DESK_MAX_HANDOFFS, 1, 1_000_000),
                env.integer("HELPSTREAM_DESK_MAX_TIMELINE", DEFAULT_DESK_MAX_TIMELINE, 1, 100_000),
                env.integer("HELPSTREAM_DESK_MAX_STREAMS", DEFAULT_DESK_MAX_STREAMS, 1, 10_000),
                env.integer("HELPSTREAM_DESK_MAX_SESSIONS", DEFAULT_DESK_MAX_SESSIONS, 1, 100_000),
                atMost("HELPSTREAM_DESK_SESSION_LIFETIME", env.duration("HELPSTREAM_DESK_SESSION_LIFETIME",
                        DEFAULT_DESK_SESSION_LIFETIME, Duration.ofMinutes(1)), Duration.ofDays(7)),
                env.integer("HELPSTREAM_CHAT_MAX_STREAMS", DEFAULT_CHAT_MAX_STREAMS, 1, 10_000),
                env.integer("HELPSTREAM_CHAT_MAX_CONVERSATIONS", DEFAULT_CHAT_MAX_CONVERSATIONS, 1, 1_000_000),
                atMost("HELPSTREAM_PAGE_SEND_TIMEOUT", env.duration("HELPSTREAM_PAGE_SEND_TIMEOUT",
                        DEFAULT_SEND_TIMEOUT, Duration.ofSeconds(1)), Duration.ofMinutes(5)));
    }

    private static Duration atMost(String name, Duration value, Duration max) {
        if (value.compareTo(max) > 0) {
            throw new ConfigException(name, value + " is longer than the maximum " + max);
        }
        return value;
    }

    private static void positive(String name, int value) {
        if (value < 1) {
            throw new IllegalArgumentException(name + " must be at least 1, was " + value);
        }
    }
}
