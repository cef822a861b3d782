package io.helpstream.tools;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.cfg.EnumFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The one place tool results become text and text becomes tool results again. A result is written as a JSON object:
 * {@code "result"} names the kind ({@code "ticket_created"}), {@code "message"} says it in words, and the record's
 * fields follow (enums in lowercase, instants in ISO-8601). Reading ignores the message, so rewording it changes
 * nothing for code that reads results.
 */
public final class ToolResults {

    private static final String KIND = "result";
    private static final String MESSAGE = "message";

    private static final JsonMapper JSON = JsonMapper.builder()
            .addModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .configure(EnumFeature.WRITE_ENUMS_TO_LOWERCASE, true)
            .enable(MapperFeature.ACCEPT_CASE_INSENSITIVE_ENUMS)
            .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
            // Results stored in a conversation's history may come from an older version with other fields.
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    private static final Map<String, Class<? extends ToolResult>> KINDS = Arrays
            .stream(ToolResult.class.getPermittedSubclasses())
            .map(type -> type.asSubclass(ToolResult.class))
            .collect(Collectors.toUnmodifiableMap(ToolResults::kind, Function.identity()));

    private ToolResults() {
    }

    /** The text the model sees for a result. */
    public static String render(ToolResult result) {
        ObjectNode json = JSON.createObjectNode();
        json.put(KIND, kind(result.getClass()));
        json.put(MESSAGE, result.message());
        json.setAll((ObjectNode) JSON.valueToTree(result));
        try {
            return JSON.writeValueAsString(json);
        } catch (JacksonException e) {
            throw new IllegalStateException("cannot write tool result " + result, e);
        }
    }

    /**
     * The result a text renders; empty for any other text, such as a tool error, old prose in a stored history or a
     * result of a kind this version does not know.
     */
    public static Optional<ToolResult> read(String text) {
        if (text == null || !text.stripLeading().startsWith("{")) {
            return Optional.empty();
        }
        try {
            JsonNode json = JSON.readTree(text);
            Class<? extends ToolResult> type = json.isObject() ? KINDS.get(json.path(KIND).asText()) : null;
            if (type == null) {
                return Optional.empty();
            }
            ObjectNode fields = ((ObjectNode) json).deepCopy();
            fields.remove(KIND);
            fields.remove(MESSAGE);
            return Optional.of(JSON.treeToValue(fields, type));
        } catch (JacksonException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** The result of the given kind a text renders, if it renders one. */
    public static <T extends ToolResult> Optional<T> read(String text, Class<T> kind) {
        return read(text).filter(kind::isInstance).map(kind::cast);
    }

    /** The name a result's kind is written under, e.g. {@code "ticket_created"}. */
    public static String kindOf(ToolResult result) {
        return kind(result.getClass());
    }

    /** {@code TicketCreated} is {@code "ticket_created"}. */
    private static String kind(Class<?> type) {
        return type.getSimpleName().replaceAll("([a-z0-9])([A-Z])", "$1_$2").toLowerCase(Locale.ROOT);
    }
}
