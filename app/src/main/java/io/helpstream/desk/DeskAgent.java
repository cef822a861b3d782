package io.helpstream.desk;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A human agent signed in to the desk: the id their actions carry on {@code support.agent-actions}, and the name the
 * desk greets them with.
 */
public record DeskAgent(String id, String name) {

    /** Ids are written to a topic and shown on pages: a plain token, no spaces or markup. */
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9._@+-]{1,64}");
    public static final int MAX_NAME_CHARS = 80;

    public DeskAgent {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
        if (!ID.matcher(id).matches()) {
            throw new IllegalArgumentException("the agent id must be 1 to 64 letters, digits or . _ @ + -");
        }
        if (name.isBlank() || name.length() > MAX_NAME_CHARS || name.chars().anyMatch(Character::isISOControl)) {
            throw new IllegalArgumentException("the name must be 1 to " + MAX_NAME_CHARS + " characters, no control "
                    + "characters");
        }
    }
}
