package io.helpstream.agent.openai;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/** One scripted answer of {@link ScriptedModelServer}: status, headers, a delay before answering, and the body. */
public record ScriptedResponse(int status, Map<String, String> headers, Duration delay, String body) {

    private static final ObjectMapper JSON = new ObjectMapper();

    public ScriptedResponse {
        headers = Map.copyOf(headers);
    }

    /** A final answer, with the given token usage. */
    public static ScriptedResponse text(String content, int inputTokens, int outputTokens) {
        ObjectNode message = JSON.createObjectNode().put("role", "assistant").put("content", content);
        return completion(message, "stop", inputTokens, outputTokens);
    }

    public static ScriptedResponse text(String content) {
        return text(content, 10, 5);
    }

    /** A request to call tools; each call is {@code {id, name, argumentsJson}}. */
    public static ScriptedResponse toolCalls(int inputTokens, int outputTokens, String[]... calls) {
        ObjectNode message = JSON.createObjectNode().put("role", "assistant");
        message.putNull("content");
        ArrayNode toolCalls = message.putArray("tool_calls");
        for (String[] call : calls) {
            ObjectNode toolCall = toolCalls.addObject().put("id", call[0]).put("type", "function");
            toolCall.putObject("function").put("name", call[1]).put("arguments", call[2]);
        }
        return completion(message, "tool_calls", inputTokens, outputTokens);
    }

    public static String[] call(String id, String name, String argumentsJson) {
        return new String[] {id, name, argumentsJson};
    }

    /** An error answer with an OpenAI-style error body. */
    public static ScriptedResponse error(int status, String message) {
        ObjectNode body = JSON.createObjectNode();
        body.putObject("error").put("message", message).put("type", "scripted_error");
        return new ScriptedResponse(status, Map.of("Content-Type", "application/json"), Duration.ZERO,
                body.toString());
    }

    public ScriptedResponse withHeader(String name, String value) {
        Map<String, String> more = new LinkedHashMap<>(headers);
        more.put(name, value);
        return new ScriptedResponse(status, more, delay, body);
    }

    public ScriptedResponse after(Duration wait) {
        return new ScriptedResponse(status, headers, wait, body);
    }

    private static ScriptedResponse completion(ObjectNode message, String finishReason, int inputTokens,
                                               int outputTokens) {
        ObjectNode body = JSON.createObjectNode()
                .put("id", "chatcmpl-scripted").put("object", "chat.completion").put("created", 1_700_000_000L)
                .put("model", ScriptedModelServer.MODEL);
        ObjectNode choice = body.putArray("choices").addObject().put("index", 0);
        choice.set("message", message);
        choice.put("finish_reason", finishReason);
        body.putObject("usage").put("prompt_tokens", inputTokens).put("completion_tokens", outputTokens)
                .put("total_tokens", inputTokens + outputTokens);
        return new ScriptedResponse(200, Map.of("Content-Type", "application/json"), Duration.ZERO, body.toString());
    }
}
