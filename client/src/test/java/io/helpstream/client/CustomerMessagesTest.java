package io.helpstream.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.helpstream.contract.Topics;
import io.helpstream.schema.CustomerMessage;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class CustomerMessagesTest {

    @Test
    void should_give_a_new_message_a_fresh_uuid_the_web_channel_and_the_time_it_was_made() {
        Instant before = Instant.now();

        CustomerMessage first = CustomerMessages.of("c1", "john@example.com", "Where is my order?");
        CustomerMessage second = CustomerMessages.of("c1", "john@example.com", "Where is my order?");

        assertThat(UUID.fromString(first.getMessageId())).isNotNull();
        assertThat(first.getMessageId()).isNotEqualTo(second.getMessageId());
        assertThat(first.getConversationId()).isEqualTo("c1");
        assertThat(first.getCustomerEmail()).isEqualTo("john@example.com");
        assertThat(first.getText()).isEqualTo("Where is my order?");
        assertThat(first.getChannel()).isEqualTo("web");
        assertThat(first.getSentAt()).isBetween(before, Instant.now());
        assertThat(first.getMetadata()).isEmpty();
    }

    @Test
    void should_keep_the_given_id_and_time_and_survive_the_topic_encoding() {
        Instant sentAt = Instant.parse("2025-01-02T03:04:05.678Z");

        CustomerMessage message = CustomerMessages.withId("run1-c3-m0", "run1-c3", "jane@example.com", "Hello",
                sentAt);

        assertThat(message.getMessageId()).isEqualTo("run1-c3-m0");
        assertThat(message.getSentAt()).isEqualTo(sentAt);
        assertThat(Topics.CUSTOMER_MESSAGE.decode(Topics.CUSTOMER_MESSAGE.encode(message))).isEqualTo(message);
    }
}
