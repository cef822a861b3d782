package io.helpstream.tools;

import static org.assertj.core.api.Assertions.assertThat;

import dev.langchain4j.agent.tool.ToolSpecification;
import io.helpstream.tickets.InMemorySupportRepository;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class ToolSpecificationsTest {

    /** As the agent offers them. */
    private final Map<String, ToolSpecification> specs = ToolCallCap.executors(SupportTools
            .create(InMemorySupportRepository.withSampleData(), "agent", Clock.systemUTC())).keySet().stream()
            .collect(Collectors.toMap(ToolSpecification::name, Function.identity()));

    @Test
    void should_describe_tools_with_their_real_parameter_names() {
        assertThat(parameters("lookupCustomer")).containsExactly("email");
        assertThat(parameters("createTicket")).containsExactly("subject", "description", "priority");
        assertThat(parameters("updateTicketStatus")).containsExactly("ticketId", "status", "notes");
        assertThat(parameters("escalateTicket")).containsExactly("ticketId", "reason");
        assertThat(parameters("answerFaq")).containsExactly("question");
        assertThat(parameters("rememberCustomerInfo")).containsExactly("customerEmail", "additionalInfo");
        assertThat(parameters("setConversationContext")).containsExactly("key", "value");
        assertThat(parameters("recallConversationContext")).isEmpty();
        assertThat(parameters("summarizeConversation")).isEmpty();
    }

    @Test
    void should_give_every_tool_a_description_and_mark_optional_parameters() {
        assertThat(specs.values()).allSatisfy(spec -> assertThat(spec.description()).isNotBlank());
        assertThat(specs.get("createTicket").parameters().required()).containsExactly("subject", "description");
        assertThat(specs.get("updateTicketStatus").parameters().required()).containsExactly("ticketId", "status");
    }

    private List<String> parameters(String tool) {
        ToolSpecification spec = specs.get(tool);
        return spec.parameters() == null ? List.of() : List.copyOf(spec.parameters().properties().keySet());
    }
}
