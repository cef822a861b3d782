package io.helpstream.app;

import java.util.List;

/** A customer's private data as the privacy tests send it, and what of it must never show where it must not. */
final class PrivateData {

    static final String EMAIL = "john@example.com";
    /** John's phone number in the sample data: a look-up puts it into the turn's tool results. */
    static final String PHONE = "+1234567890";
    static final String CARD = "4111-1111-1111-1111";
    static final String OWN_PHONE = "+44 20 7946 0958";
    static final String SECRET = "my card " + CARD + " was charged twice, call me on " + OWN_PHONE;
    static final List<String> FORBIDDEN = List.of(EMAIL, "john@", PHONE, CARD, OWN_PHONE, "charged twice", "laptop");

    private PrivateData() {
    }
}
