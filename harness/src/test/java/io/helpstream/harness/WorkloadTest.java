package io.helpstream.harness;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.helpstream.harness.PlannedMessage.Kind;
import java.util.List;
import org.junit.jupiter.api.Test;

class WorkloadTest {

    private final Workload workload = Workload.generate("run1", 1_000, 100, 42);

    @Test
    void should_send_each_conversations_messages_in_index_order() {
        assertThat(workload.messages()).hasSize(1_000);
        assertThat(workload.byConversation()).hasSize(100).allSatisfy((id, messages) -> {
            assertThat(messages).extracting(PlannedMessage::index).containsExactlyElementsOf(
                    java.util.stream.IntStream.range(0, messages.size()).boxed().toList());
            assertThat(messages).extracting(PlannedMessage::email).containsOnly(messages.get(0).email());
        });
    }

    @Test
    void should_end_every_conversation_with_a_summary_and_open_a_ticket_in_every_other() {
        assertThat(workload.byConversation().values())
                .allSatisfy(messages -> assertThat(messages.get(messages.size() - 1).kind()).isEqualTo(Kind.SUMMARY));
        assertThat(workload.ofKind(Kind.CREATE_TICKET)).hasSize(50)
                .allSatisfy(message -> assertThat(message.text()).contains(message.messageId(), "is not working"));
        assertThat(workload.ofKind(Kind.UPDATE_TICKET)).hasSize(50)
                .allSatisfy(message -> assertThat(message.text()).containsPattern("TICK00[123]"));
    }

    @Test
    void should_give_every_message_a_unique_id_carried_in_its_text() {
        List<String> ids = workload.messages().stream().map(PlannedMessage::messageId).toList();
        assertThat(ids).doesNotHaveDuplicates();
        assertThat(workload.messages()).allSatisfy(message -> assertThat(message.text()).contains(message.tag()));
    }

    @Test
    void should_be_repeatable_for_a_seed() {
        assertThat(Workload.generate("run1", 1_000, 100, 42).messages()).isEqualTo(workload.messages());
        assertThat(Workload.generate("run1", 1_000, 100, 43).messages()).isNotEqualTo(workload.messages());
    }

    @Test
    void should_refuse_fewer_messages_than_conversations() {
        assertThatThrownBy(() -> Workload.generate("run1", 5, 10, 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("5 messages for 10 conversations");
    }
}
