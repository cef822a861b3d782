package io.helpstream.contract;

import java.util.regex.Pattern;

/**
 * Text as helpstream keeps and shows it: without what could hide text, forge a line or drive a terminal. Customer
 * messages are cleaned when they are accepted, tool arguments before a tool runs, replies before they are
 * published, and the terminal gateway cleans what it prints, so a message, a ticket or a reply can never carry:
 * <ul>
 *   <li>terminal escape sequences (ANSI CSI such as colours and cursor moves, OSC such as window titles and
 *       hyperlinks, and any other {@code ESC} sequence);</li>
 *   <li>control characters other than tab, line feed and carriage return (NUL included), and C1 controls;</li>
 *   <li>bidirectional overrides and isolates (U+202A–U+202E, U+2066–U+2069), which reorder what a reader sees, and
 *       the zero-width no-break space U+FEFF.</li>
 * </ul>
 * Everything else, every script and emoji included, is kept as it is.
 */
public final class SafeText {

    /** OSC (ESC ] … BEL or ESC \), CSI (ESC [ params final), or a two-character ESC sequence. */
    private static final Pattern ESCAPES = Pattern.compile(
            "\u001B\\][^\u0007\u001B]*(?:\u0007|\u001B\\\\)?|\u009D[^\u0007\u001B]*(?:\u0007|\u001B\\\\)?"
                    + "|\u001B\\[[0-?]*[ -/]*[@-~]?|\u009B[0-?]*[ -/]*[@-~]?|\u001B[ -~]?");
    private static final Pattern INVISIBLE = Pattern.compile(
            "[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069\uFEFF]");

    private SafeText() {
    }

    /** The text without escape sequences, control characters (but tab and line breaks) and bidi controls. */
    public static String clean(String text) {
        if (text == null || isClean(text)) {
            return text;
        }
        return INVISIBLE.matcher(ESCAPES.matcher(text).replaceAll("")).replaceAll("");
    }

    /** True when {@link #clean} would return the text unchanged. */
    public static boolean isClean(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean control = c < 0x20 && c != '\t' && c != '\n' && c != '\r';
            if (control || (c >= 0x7F && c <= 0x9F) || (c >= 0x202A && c <= 0x202E) || (c >= 0x2066 && c <= 0x2069)
                    || c == 0xFEFF) {
                return false;
            }
        }
        return true;
    }
}
