package io.helpstream.agent.offline;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.agent.tool.ToolSpecifications;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.ToolExecutionResultMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import io.helpstream.schema.TicketPriority;
import io.helpstream.tickets.InMemorySupportRepository;
import io.helpstream.tools.SupportTools;
import io.helpstream.tools.ToolResult.FaqAnswer;
import io.helpstream.tools.ToolResult.LimitReached;
import io.helpstream.tools.ToolResult.TicketCreated;
import io.helpstream.tools.ToolResult;
import io.helpstream.tools.ToolResultSamples;
import io.helpstream.tools.ToolResults;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The model on its own: which tools it asks for, given the real tool specifications, and what it answers. */
class OfflineChatModelTest {

    private static final List<ToolSpecification> TOOLS = SupportTools
            .create(InMemorySupportRepository.withSampleData(), "agent", Clock.systemUTC()).stream()
            .flatMap(tool -> ToolSpecifications.toolSpecificationsFrom(tool).stream())
            .toList();

    private static final ObjectMapper JSON = new ObjectMapper();

    private final OfflineChatModel model = new OfflineChatModel();

    private ChatResponse chat(List<ToolSpecification> tools, dev.langchain4j.data.message.ChatMessage... messages) {
        return model.chat(ChatRequest.builder().messages(messages).toolSpecifications(tools).build());
    }

    @Test
    void should_request_lookup_with_the_parameter_name_of_the_offered_tool() {
        ChatResponse response = chat(TOOLS, SystemMessage.from("prompt"),
                SystemMessage.from("- Customer email: jane@example.com (verified)"),
                UserMessage.from("I'm jane@example.com"));

        assertThat(response.aiMessage().toolExecutionRequests()).singleElement().satisfies(call -> {
            assertThat(call.name()).isEqualTo("lookupCustomer");
            assertThat(call.arguments()).isEqualTo("{\"email\":\"jane@example.com\"}");
            assertThat(call.id()).isNotBlank();
        });
        assertThat(response.modelName()).isEqualTo(OfflineChatModel.MODEL_NAME);
        assertThat(response.tokenUsage().inputTokenCount()).isEqualTo(8);
        assertThat(response.tokenUsage().outputTokenCount()).isPositive();
    }

    @Test
    void should_not_request_a_tool_that_is_not_offered() {
        List<ToolSpecification> withoutLookup = TOOLS.stream().filter(t -> !t.name().equals("lookupCustomer")
                && !t.name().equals("requestVerificationCode")).toList();

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
        ChatResponse response = chat(TOOLS, SystemMessage.from("- Customer email: jane@example.com (verified)"),
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
        ChatResponse response = chat(TOOLS, SystemMessage.from("- Customer email: jane@example.com (verified)"),
                UserMessage.from("Urgent: the app shows an error on every login"));

        assertThat(response.aiMessage().toolExecutionRequests()).singleElement()
                .satisfies(call -> assertThat(call.arguments()).contains("\"priority\":\"high\""));
    }

    @Test
    void should_write_the_reply_from_the_tool_results() {
        ToolExecutionRequest call = ToolExecutionRequest.builder().id("c1").name("answerFaq")
                .arguments("{\"question\":\"What is your return policy?\"}").build();

        ChatResponse response = chat(TOOLS, UserMessage.from("What's your return policy?"), AiMessage.from(call),
                ToolExecutionResultMessage.from(call,
                        ToolResults.render(new FaqAnswer("return policy", "Returns within 30 days."))));

        assertThat(response.aiMessage().hasToolExecutionRequests()).isFalse();
        assertThat(response.aiMessage().text())
                .isEqualTo("Returns within 30 days.\n\nIs there anything else I can help you with?");
    }

    @Test
    void should_tell_once_that_the_call_limit_stopped_the_rest_and_not_ask_again() {
        UserMessage question = UserMessage.from("What is your return policy, shipping time and warranty?");
        List<ToolExecutionRequest> calls = chat(TOOLS, question).aiMessage().toolExecutionRequests();
        assertThat(calls).hasSize(3);
        String limit = ToolResults.render(new LimitReached("tool calls per message", 1));

        ChatResponse response = chat(TOOLS, question, AiMessage.from(calls),
                ToolExecutionResultMessage.from(calls.get(0),
                        ToolResults.render(new FaqAnswer("return policy", "Returns within 30 days."))),
                ToolExecutionResultMessage.from(calls.get(1), limit),
                ToolExecutionResultMessage.from(calls.get(2), limit));

        assertThat(response.aiMessage().hasToolExecutionRequests()).isFalse();
        assertThat(response.aiMessage().text()).isEqualTo("Returns within 30 days.\n\n"
                + "I've done as much of that as I can for now (at most 1 tool calls per message).\n\n"
                + "Is there anything else I can help you with?");
    }

    @Test
    void should_reply_the_same_whatever_the_tools_messages_say() throws Exception {
        for (ToolResult result : ToolResultSamples.all()) {
            ObjectNode reworded = (ObjectNode) JSON.readTree(ToolResults.render(result));
            reworded.put("message", "Something else entirely, in other words.");

            String reply = replyTo(ToolResults.render(result));

            assertThat(replyTo(JSON.writeValueAsString(reworded))).as(result.toString()).isEqualTo(reply);
            assertThat(reply).as(result.toString()).doesNotContain("having trouble");
        }
    }

    @Test
    void should_apologise_for_a_tool_that_failed() {
        assertThat(replyTo("Error: the support system is unavailable right now, so lookupCustomer could not run."))
                .startsWith("I'm sorry, I couldn't complete that just now because our support system is having "
                        + "trouble.");
    }

    @Test
    void should_look_up_an_email_the_customer_gave_earlier_when_asked_for_the_status() {
        ChatResponse response = chat(TOOLS, UserMessage.from("I'm nobody@example.com"),
                AiMessage.from("I couldn't find that email."),
                UserMessage.from("What is the status of my tickets?"));

        assertThat(response.aiMessage().toolExecutionRequests()).extracting(ToolExecutionRequest::name)
                .containsExactly("lookupCustomer", "requestVerificationCode");
        assertThat(response.aiMessage().toolExecutionRequests()).allSatisfy(call ->
                assertThat(call.arguments()).isEqualTo("{\"email\":\"nobody@example.com\"}"));
    }

    @Test
    void should_look_up_and_offer_a_code_for_an_email_typed_in_an_anonymous_conversation() {
        ChatResponse response = chat(TOOLS, UserMessage.from("I'm jane@example.com, show my tickets"));

        assertThat(response.aiMessage().toolExecutionRequests()).extracting(ToolExecutionRequest::name)
                .containsExactly("lookupCustomer", "requestVerificationCode");
    }

    @Test
    void should_check_a_typed_code_and_send_no_other() {
        ChatResponse response = chat(TOOLS, SystemMessage.from("- Customer email: jane@example.com (claimed by the "
                + "customer, not verified)\n- A one-time code was sent for this email; ask the customer to type it."),
                UserMessage.from("my code is 123 456"));

        assertThat(response.aiMessage().toolExecutionRequests()).singleElement().satisfies(call -> {
            assertThat(call.name()).isEqualTo("verifyCode");
            assertThat(call.arguments()).isEqualTo("{\"code\":\"123456\"}");
        });
    }

    @Test
    void should_ask_for_the_waiting_code_instead_of_sending_another() {
        ChatResponse response = chat(TOOLS, SystemMessage.from("- Customer email: jane@example.com (claimed by the "
                + "customer, not verified)\n- A one-time code was sent for this email; ask the customer to type it."),
                UserMessage.from("please escalate TICK002"));

        assertThat(response.aiMessage().hasToolExecutionRequests()).isFalse();
        assertThat(response.aiMessage().text()).contains("type the one-time code");
    }

    @Test
    void should_point_to_the_ticket_an_earlier_message_opened_instead_of_opening_another() {
        ToolExecutionRequest create = ToolExecutionRequest.builder().id("c1").name("createTicket")
                .arguments("{}").build();

        ChatResponse response = chat(TOOLS, SystemMessage.from("- Customer email: john@example.com (verified)"),
                UserMessage.from("My laptop is broken"), AiMessage.from(create),
                ToolExecutionResultMessage.from(create, ToolResults.render(new TicketCreated("TICK-000042",
                        "John Doe", "My laptop is broken", TicketPriority.MEDIUM, "24 hours"))),
                AiMessage.from("I've opened a ticket for you."),
                UserMessage.from("My laptop is still broken"));

        assertThat(response.aiMessage().hasToolExecutionRequests()).isFalse();
        assertThat(response.aiMessage().text()).contains("Your ticket TICK-000042 is already open");
    }

    /** The reply to a turn whose one tool call returned {@code resultText}. */
    private String replyTo(String resultText) {
        ToolExecutionRequest call = ToolExecutionRequest.builder().id("c1").name("answerFaq").arguments("{}").build();
        ChatResponse response = chat(TOOLS, UserMessage.from("Please"), AiMessage.from(call),
                ToolExecutionResultMessage.from(call, resultText));
        assertThat(response.aiMessage().hasToolExecutionRequests()).isFalse();
        return response.aiMessage().text();
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
