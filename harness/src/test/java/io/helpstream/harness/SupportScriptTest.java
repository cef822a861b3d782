package io.helpstream.harness;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SupportScriptTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PRINTER = "My printer r1-c4-m1 is not working.";

    @Test
    void should_look_up_open_a_ticket_and_name_it_in_three_calls() throws Exception {
        ArrayNode messages = session();
        user(messages, PRINTER);
        assertThat(call(messages, 0)).isEqualTo("lookupCustomer");

        toolCall(messages, "call-1", "lookupCustomer", "{\"result\":\"customer_found\",\"customerId\":\"CUST001\"}");
        JsonNode create = answer(messages, 0).path("choices").get(0).path("message").path("tool_calls").get(0);
        assertThat(create.path("function").path("name").asText()).isEqualTo("createTicket");
        assertThat(create.path("function").path("arguments").asText()).contains("Printer not working r1-c4-m1");

        toolCall(messages, "call-2", "createTicket", "{\"result\":\"ticket_created\",\"ticketId\":\"TICK-000042\"}");
        assertThat(text(messages, 0)).contains("TICK-000042");
        assertThat(SupportScript.plannedCalls(PRINTER)).isEqualTo(3);
    }

    @Test
    void should_answer_a_first_ask_as_planned_and_a_repeated_one_sometimes_otherwise() throws Exception {
        Set<String> seen = new HashSet<>();
        for (int c = 0; c < 40; c++) {
            ArrayNode messages = session();
            user(messages, "My phone r1-c" + c + "-m1 is not working.");
            toolCall(messages, "call-1", "lookupCustomer", "{\"result\":\"customer_found\"}");
            assertThat(answer(messages, 0).toString()).contains("not working r1-c" + c + "-m1", "medium");
            seen.add(decision(answer(messages, 1)));
        }
        assertThat(seen).as("asked again, it opens the same ticket, another one, or none")
                .contains("same", "other", "none");
    }

    @Test
    void should_write_the_message_count_of_a_summary_into_its_answer() throws Exception {
        ArrayNode messages = session();
        user(messages, "Thanks! Can you summarize what we discussed? r1-c1-m5");
        assertThat(call(messages, 0)).isEqualTo("summarizeConversation");
        toolCall(messages, "call-1", "summarizeConversation", "{\"result\":\"conversation_summary\","
                + "\"userMessages\":6}");
        assertThat(text(messages, 0)).contains("User messages: 6");
    }

    private static String decision(JsonNode answer) {
        String body = answer.toString();
        if (!body.contains("createTicket")) {
            return "none";
        }
        return body.contains("high") ? "other" : "same";
    }

    private static ArrayNode session() {
        ArrayNode messages = JSON.createArrayNode();
        messages.addObject().put("role", "system").put("content", "You are a support agent.");
        messages.addObject().put("role", "system").put("content", "Session:\n- Customer email: john@example.com\n");
        return messages;
    }

    private static void user(ArrayNode messages, String text) {
        messages.addObject().put("role", "user").put("content", text);
    }

    private static void toolCall(ArrayNode messages, String id, String tool, String result) {
        ObjectNode assistant = messages.addObject().put("role", "assistant");
        ObjectNode call = assistant.putArray("tool_calls").addObject().put("id", id).put("type", "function");
        call.putObject("function").put("name", tool).put("arguments", "{}");
        messages.addObject().put("role", "tool").put("tool_call_id", id).put("content", result);
    }

    private static JsonNode answer(ArrayNode messages, int asked) throws Exception {
        ObjectNode request = JSON.createObjectNode();
        request.set("messages", messages);
        return JSON.readTree(SupportScript.answer(request, asked).body());
    }

    private static String call(ArrayNode messages, int asked) throws Exception {
        return answer(messages, asked).path("choices").get(0).path("message").path("tool_calls").get(0)
                .path("function").path("name").asText();
    }

    private static String text(ArrayNode messages, int asked) throws Exception {
        return answer(messages, asked).path("choices").get(0).path("message").path("content").asText();
    }
}
