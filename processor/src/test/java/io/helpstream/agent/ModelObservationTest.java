package io.helpstream.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import io.helpstream.agent.offline.OfflineChatModel;
import io.helpstream.agent.openai.ModelErrorKind;
import io.helpstream.agent.openai.ModelUnavailableException;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

class ModelObservationTest {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    @Test
    void should_time_each_call_and_count_its_tokens_under_the_genai_names() {
        ChatModel model = new ObservedChatModel(new OfflineChatModel(), new ModelObservation(registry, io.opentelemetry.api.OpenTelemetry.noop().getTracer("test")));

        model.chat(ChatRequest.builder().messages(UserMessage.from("What is your return policy?")).build());

        assertThat(registry.get(ModelObservation.DURATION).tag("gen_ai.operation.name", "chat")
                .tag("gen_ai.response.model", OfflineChatModel.MODEL_NAME).timer().count()).isEqualTo(1);
        assertThat(registry.get(ModelObservation.TOKENS).tag("gen_ai.token.type", "input").summary().totalAmount())
                .isPositive();
        assertThat(registry.get(ModelObservation.TOKENS).tag("gen_ai.token.type", "output").summary().count())
                .isEqualTo(1);
    }

    @Test
    void should_time_a_failed_call_with_its_kind_of_error() {
        ChatModel failing = new ChatModel() {
            @Override
            public dev.langchain4j.model.chat.response.ChatResponse doChat(ChatRequest request) {
                throw new ModelUnavailableException(ModelErrorKind.RATE_LIMITED.tag(), "slow down", null);
            }
        };
        ChatModel model = new ObservedChatModel(failing, new ModelObservation(registry, io.opentelemetry.api.OpenTelemetry.noop().getTracer("test")));

        assertThatThrownBy(() -> model.chat(ChatRequest.builder().messages(UserMessage.from("hi")).build()))
                .isInstanceOf(ModelUnavailableException.class);

        assertThat(registry.get(ModelObservation.DURATION).tag("error.type", "rate_limited").timer().count())
                .isEqualTo(1);
        assertThat(registry.find(ModelObservation.TOKENS).summaries()).isEmpty();
    }
}
