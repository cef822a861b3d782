package io.helpstream.conversation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.helpstream.conversation.InvalidMessageException.Reason;
import io.helpstream.schema.CustomerMessage;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MessageValidatorTest {

    private static final MessageLimits LIMITS = new MessageLimits(12, 8, 2, 20);
    private final MessageValidator validator = new MessageValidator(LIMITS);

    @Test
    void should_accept_every_part_exactly_at_its_limit() {
        // 4 three-byte characters = 12 bytes; 8-byte channel; 2 entries of 20 bytes together.
        CustomerMessage message = message("\u65e5\u672c\u8a9e\u3067", "whatsapp", Map.of("k1", "12345678", "k2",
                "12345678"));

        assertThat(validator.validate("c1", message)).isSameAs(message);
    }

    @Test
    void should_count_the_text_in_utf8_bytes_not_characters() {
        assertThatThrownBy(() -> validator.validate("c1", message("\u65e5\u672c\u8a9e\u3067!", "web", Map.of())))
                .isInstanceOfSatisfying(InvalidMessageException.class,
                        e -> assertThat(e.reason()).isEqualTo(Reason.TEXT_TOO_LONG))
                .hasMessageContaining("13 bytes");
        // Four bytes for a character outside the basic plane.
        assertThatThrownBy(() -> validator.validate("c1", message("\ud83d\ude00".repeat(3) + "a", "web", Map.of())))
                .hasMessageStartingWith("TEXT_TOO_LONG");
    }

    @Test
    void should_refuse_a_channel_one_byte_over_its_limit() {
        assertThatThrownBy(() -> validator.validate("c1", message("hi", "whatsapp!", Map.of())))
                .hasMessageStartingWith("CHANNEL_TOO_LONG").hasMessageContaining("9 bytes");
    }

    @Test
    void should_refuse_metadata_with_one_entry_or_one_byte_too_many() {
        assertThatThrownBy(() -> validator.validate("c1", message("hi", "web", Map.of("a", "1", "b", "2", "c", "3"))))
                .hasMessageStartingWith("METADATA_TOO_LARGE").hasMessageContaining("3 entries");
        assertThatThrownBy(() -> validator.validate("c1", message("hi", "web", Map.of("k1", "123456789", "k2",
                "12345678"))))
                .hasMessageStartingWith("METADATA_TOO_LARGE").hasMessageContaining("21 bytes");
    }

    @Test
    void should_keep_the_text_without_escape_sequences_nul_bytes_and_bidi_controls() {
        CustomerMessage cleaned = validator.validate("c1", message("\u001b[2Jhi\u0000 \u202eyo", "web\u0007",
                Map.of()));

        assertThat(cleaned.getText()).isEqualTo("hi yo");
        assertThat(cleaned.getChannel()).isEqualTo("web");
    }

    @Test
    void should_refuse_a_text_of_nothing_but_control_characters_as_missing() {
        assertThatThrownBy(() -> validator.validate("c1", message("\u0000\u001b[0m", "web", Map.of())))
                .isInstanceOfSatisfying(InvalidMessageException.class,
                        e -> assertThat(e.reason()).isEqualTo(Reason.MISSING_FIELD))
                .hasMessageContaining("text is missing or empty");
    }

    @Test
    void should_refuse_ids_with_control_characters() {
        CustomerMessage message = message("hi", "web", Map.of());
        assertThatThrownBy(() -> validator.validate("c1", CustomerMessage.newBuilder(message)
                .setMessageId("m\u00001").build())).hasMessageStartingWith("INVALID_ID");
        assertThatThrownBy(() -> validator.validate("c\u202e1", CustomerMessage.newBuilder(message)
                .setConversationId("c\u202e1").build())).hasMessageStartingWith("INVALID_ID");
        assertThatThrownBy(() -> validator.validate("c1", CustomerMessage.newBuilder(message)
                .setMessageId("m 1").build())).hasMessageStartingWith("INVALID_ID");
        assertThatThrownBy(() -> validator.validate("c\n1", CustomerMessage.newBuilder(message)
                .setConversationId("c\n1").build())).hasMessageStartingWith("INVALID_ID");
    }

    private static CustomerMessage message(String text, String channel, Map<String, String> metadata) {
        return CustomerMessage.newBuilder().setMessageId("m1").setConversationId("c1").setCustomerEmail(null)
                .setChannel(channel).setText(text).setSentAt(Instant.EPOCH).setMetadata(metadata).build();
    }
}
