package io.helpstream.agent.offline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.agent.tool.ToolSpecifications;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.ToolExecutionResultMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import io.helpstream.tickets.InMemorySupportRepository;
import io.helpstream.tools.SupportTools;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The model on its own: which tools it asks for, given the real tool specifications, and what it answers. */
class OfflineChatModelTest {

    private static final List<ToolSpecification> TOOLS = SupportTools
            .create(InMemorySupportRepository.withSampleData(), "agent", Clock.systemUTC()).stream()
            .flatMap(tool -> ToolSpecifications.toolSpecificationsFrom(tool).stream())
            .toList();

    private final OfflineChatModel model = new OfflineChatModel();

    private ChatResponse chat(List<ToolSpecification> tools, dev.langchain4j.data.message.ChatMessage... messages) {
        return model.chat(ChatRequest.builder().messages(messages).toolSpecifications(tools).build());
    }

    @Test
    void should_request_lookup_with_the_parameter_name_of_the_offered_tool() {
        ChatResponse response = chat(TOOLS, SystemMessage.from("prompt"), UserMessage.from("I'm jane@example.com"));

        assertThat(response.aiMessage().toolExecutionRequests()).singleElement().satisfies(call -> {
            assertThat(call.name()).isEqualTo("lookupCustomer");
            assertThat(call.arguments()).isEqualTo("{\"email\":\"jane@example.com\"}");
            assertThat(call.id()).isNotBlank();
        });
        assertThat(response.modelName()).isEqualTo(OfflineChatModel.MODEL_NAME);
        assertThat(response.tokenUsage().inputTokenCount()).isEqualTo(3);
        assertThat(response.tokenUsage().outputTokenCount()).isPositive();
    }

    @Test
    void should_not_request_a_tool_that_is_not_offered() {
        List<ToolSpecification> withoutLookup = TOOLS.stream().filter(t -> !t.name().equals("lookupCustomer")).toList();

        ChatResponse response = chat(withoutLookup, UserMessage.from("I'm jane@example.com"));

        assertThat(response.aiMessage().hasToolExecutionRequests()).isFalse();
        assertThat(response.aiMessage().text()).isNotBlank();
    }

    @Test
    void should_not_request_a_tool_whose_parameters_differ() {
        ToolSpecification renamed = ToolSpecification.builder().name("lookupCustomer")
                .parameters(dev.langchain4j.model.chat.request.json.JsonObjectSchema.builder()
                        .addStringProperty("customerEmail").required("customerEmail").build())
                .build();

        ChatResponse response = chat(List.of(renamed), UserMessage.from("I'm jane@example.com"));

        assertThat(response.aiMessage().hasToolExecutionRequests()).isFalse();
    }

    @Test
    void should_request_several_tools_in_one_response_for_several_intents() {
        ChatResponse response = chat(TOOLS, SystemMessage.from("- Customer email: jane@example.com"),
                UserMessage.from("My order #55501 is broken. Also, what does the warranty cover?"));

        assertThat(response.aiMessage().toolExecutionRequests()).extracting(ToolExecutionRequest::name)
                .containsExactly("setConversationContext", "createTicket", "answerFaq");
        assertThat(response.aiMessage().toolExecutionRequests().get(0).arguments())
                .isEqualTo("{\"key\":\"order_number\",\"value\":\"#55501\"}");
        assertThat(response.aiMessage().toolExecutionRequests().get(1).arguments())
                .contains("\"subject\":\"My order #55501 is broken\"", "\"priority\":\"medium\"");
        assertThat(response.aiMessage().toolExecutionRequests()).extracting(ToolExecutionRequest::id)
                .doesNotHaveDuplicates();
    }

    @Test
    void should_ask_for_high_priority_when_the_customer_says_it_is_urgent() {
        ChatResponse response = chat(TOOLS, SystemMessage.from("- Customer email: jane@example.com"),
                UserMessage.from("Urgent: the app shows an error on every login"));

        assertThat(response.aiMessage().toolExecutionRequests()).singleElement()
                .satisfies(call -> assertThat(call.arguments()).contains("\"priority\":\"high\""));
    }

    @Test
    void should_write_the_reply_from_the_tool_results() {
        ToolExecutionRequest call = ToolExecutionRequest.builder().id("c1").name("answerFaq")
                .arguments("{\"question\":\"What is your return policy?\"}").build();

        ChatResponse response = chat(TOOLS, UserMessage.from("What's your return policy?"), AiMessage.from(call),
                ToolExecutionResultMessage.from(call, "FAQ (return policy): Returns within 30 days."));

        assertThat(response.aiMessage().hasToolExecutionRequests()).isFalse();
        assertThat(response.aiMessage().text()).contains("Returns within 30 days.").doesNotContain("FAQ (");
    }

    @Test
    void should_answer_greetings_and_thanks_without_tools() {
        ChatResponse hello = chat(TOOLS, UserMessage.from("Hello there"));
        ChatResponse thanks = chat(TOOLS, UserMessage.from("Thanks a lot"));

        assertThat(hello.aiMessage().hasToolExecutionRequests()).isFalse();
        assertThat(hello.aiMessage().text()).startsWith("Hello!").contains("How can I help");
        assertThat(thanks.aiMessage().hasToolExecutionRequests()).isFalse();
        assertThat(thanks.aiMessage().text()).startsWith("You're welcome!");
    }

    @Test
    void should_ask_for_the_email_when_a_problem_is_reported_anonymously() {
        ChatResponse response = chat(TOOLS, UserMessage.from("My laptop is not charging"));

        assertThat(response.aiMessage().hasToolExecutionRequests()).isFalse();
        assertThat(response.aiMessage().text()).contains("email address");
    }
}
