package io.helpstream.webchat;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The conversations the chat page opened: each under a random id of 128 bits (knowing it is what lets a page send to
 * and read the conversation, so it cannot be guessed), with the email its customer typed (empty: anonymous). At most
 * {@code max} are remembered; one more forgets the one used least recently, whose page then has to start again.
 */
public final class ChatConversations {

    private static final SecureRandom RANDOM = new SecureRandom();
    /** Makes the conversations of this page recognisable on the topics. */
    public static final String PREFIX = "web-";

    private final Map<String, Optional<String>> emails;

    public ChatConversations(int max) {
        if (max < 1) {
            throw new IllegalArgumentException("max must be at least 1");
        }
        this.emails = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Optional<String>> eldest) {
                return size() > max;
            }
        };
    }

    /** A new conversation for a customer with this email (null: anonymous); its id. */
    public synchronized String open(String email) {
        byte[] bytes = new byte[16];
        RANDOM.nextBytes(bytes);
        String id = PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        emails.put(id, Optional.ofNullable(email));
        return id;
    }

    /** The email of a conversation this page opened (present, possibly empty); null when it is not known. */
    public synchronized Optional<Optional<String>> email(String conversationId) {
        return Optional.ofNullable(emails.get(conversationId));
    }
}
