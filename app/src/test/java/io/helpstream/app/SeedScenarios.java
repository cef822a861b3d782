package io.helpstream.app;

import java.util.List;

/** The customer messages of the seed tutorial's three scenarios, as the {@code demo} command plays them. */
final class SeedScenarios {

    static final String EMAIL = "john@example.com";

    static final List<String> DATABASE = List.of(
            "Hi, I'm john@example.com and I need help with my laptop",
            "I want to check the status of my existing tickets",
            "My laptop is still not working, can you escalate my ticket TICK001?");

    static final List<String> CACHING = List.of(
            "Look up customer john@example.com",
            "Look up customer john@example.com",
            "What's your return policy?");

    static final List<String> SESSION = List.of(
            "Hi, I'm John and I need help with my order",
            "My order number is #12345 and it hasn't arrived yet",
            "Can you check the status and let me know when it will arrive?",
            "Also, what's your return policy if I'm not satisfied?",
            "Thanks for the help! Can you summarize what we discussed?");

    /** The seed's FAQ answer on returns. */
    static final String RETURN_POLICY = "You can return items within 30 days of purchase for a full refund.";

    private SeedScenarios() {
    }
}
