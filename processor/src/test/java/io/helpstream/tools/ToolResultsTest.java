package io.helpstream.tools;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.helpstream.schema.TicketPriority;
import io.helpstream.tools.ToolResult.TicketCreated;
import io.helpstream.tools.ToolResult.TicketNotFound;
import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class ToolResultsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void should_read_back_every_kind_of_result_it_renders() {
        assertThat(ToolResultSamples.all()).allSatisfy(result ->
                assertThat(ToolResults.read(ToolResults.render(result))).contains(result));
        Set<Class<?>> sampled = ToolResultSamples.all().stream().map(Object::getClass).collect(Collectors.toSet());
        assertThat(sampled).as("every kind of result has a sample")
                .containsExactlyInAnyOrderElementsOf(Arrays.asList(ToolResult.class.getPermittedSubclasses()));
    }

    @Test
    void should_write_the_kind_the_message_and_the_fields_as_one_json_object() throws Exception {
        TicketCreated created = new TicketCreated("TICK-000004", "John Doe", "Help with my laptop",
                TicketPriority.MEDIUM, "24 hours");

        JsonNode json = JSON.readTree(ToolResults.render(created));

        assertThat(json.path("result").asText()).isEqualTo("ticket_created");
        assertThat(json.path("message").asText()).isEqualTo(created.message()).contains("TICK-000004");
        assertThat(json.path("ticketId").asText()).isEqualTo("TICK-000004");
        assertThat(json.path("priority").asText()).isEqualTo("medium");
        assertThat(json.path("responseTime").asText()).isEqualTo("24 hours");
    }

    @Test
    void should_ignore_the_message_when_reading() throws Exception {
        ObjectNode json = (ObjectNode) JSON.readTree(ToolResults.render(new TicketNotFound("TICK002")));
        json.put("message", "Reworded: there is no such ticket, sorry.");
        ObjectNode withoutMessage = json.deepCopy();
        withoutMessage.remove("message");

        assertThat(ToolResults.read(JSON.writeValueAsString(json))).contains(new TicketNotFound("TICK002"));
        assertThat(ToolResults.read(JSON.writeValueAsString(withoutMessage))).contains(new TicketNotFound("TICK002"));
    }

    @Test
    void should_read_nothing_from_text_that_is_not_a_result() {
        assertThat(ToolResults.read("Error: the support system is unavailable right now, so lookupCustomer could "
                + "not run.")).isEmpty();
        assertThat(ToolResults.read("Support ticket TICK-000001 created for John Doe.")).isEmpty();
        assertThat(ToolResults.read("{\"result\":\"ticket_teleported\",\"ticketId\":\"TICK001\"}")).isEmpty();
        assertThat(ToolResults.read("{\"ticketId\":\"TICK001\"}")).isEmpty();
        assertThat(ToolResults.read("{\"result\":\"ticket_created\",")).isEmpty();
        assertThat(ToolResults.read("{\"result\":\"customer_found\",\"customerId\":\"C1\",\"email\":\"a@b.c\","
                + "\"memberSince\":\"last spring\",\"recentTickets\":[]}")).isEmpty();
        assertThat(ToolResults.read("[1, 2]")).isEmpty();
        assertThat(ToolResults.read("")).isEmpty();
        assertThat(ToolResults.read(null)).isEmpty();
    }

    @Test
    void should_read_a_result_of_the_asked_kind_only() {
        String text = ToolResults.render(new TicketNotFound("TICK002"));

        assertThat(ToolResults.read(text, TicketNotFound.class)).contains(new TicketNotFound("TICK002"));
        assertThat(ToolResults.read(text, TicketCreated.class)).isEmpty();
    }
}
