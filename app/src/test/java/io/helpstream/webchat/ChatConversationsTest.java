package io.helpstream.webchat;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ChatConversationsTest {

    @Test
    void should_remember_the_email_of_each_conversation_it_opened() {
        ChatConversations conversations = new ChatConversations(10);
        String john = conversations.open("john@example.com");
        String anonymous = conversations.open(null);

        assertThat(conversations.email(john)).contains(Optional.of("john@example.com"));
        assertThat(conversations.email(anonymous)).contains(Optional.empty());
        assertThat(conversations.email("web-made-up")).isEmpty();
    }

    @Test
    void should_open_each_conversation_under_a_random_id_of_128_bits() {
        ChatConversations conversations = new ChatConversations(1000);
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < 200; i++) {
            ids.add(conversations.open(null));
        }
        assertThat(ids).hasSize(200).allMatch(id -> id.matches("web-[A-Za-z0-9_-]{22}"));
    }

    @Test
    void should_forget_the_least_recently_used_conversation_when_full() {
        ChatConversations conversations = new ChatConversations(2);
        String first = conversations.open("a@example.com");
        String second = conversations.open("b@example.com");
        conversations.email(first);
        String third = conversations.open("c@example.com");

        assertThat(conversations.email(second)).isEmpty();
        assertThat(conversations.email(first)).isPresent();
        assertThat(conversations.email(third)).isPresent();
    }
}
