package io.helpstream.cli;

/** How the terminal commands show a reply's flags. */
final class Replies {

    /** Shown under every degraded reply, so a person at the terminal sees the configured model did not answer. */
    static final String DEGRADED_NOTE = "[degraded: the configured model could not answer; this is a fallback reply]";

    private Replies() {
    }
}
