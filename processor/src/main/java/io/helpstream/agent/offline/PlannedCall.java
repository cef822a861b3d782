package io.helpstream.agent.offline;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/** A tool call the offline model wants to make: the tool's name and its arguments by parameter name. */
record PlannedCall(String tool, Map<String, String> arguments) {

    private static final ObjectMapper JSON = new ObjectMapper();

    PlannedCall {
        Objects.requireNonNull(tool, "tool");
        arguments = new LinkedHashMap<>(arguments);
    }

    static PlannedCall of(String tool, String... namesAndValues) {
        Map<String, String> arguments = new LinkedHashMap<>();
        for (int i = 0; i + 1 < namesAndValues.length; i += 2) {
            arguments.put(namesAndValues[i], namesAndValues[i + 1]);
        }
        return new PlannedCall(tool, arguments);
    }

    /** The arguments as the JSON object a model sends, in the order they were planned. */
    String argumentsJson() {
        try {
            return JSON.writeValueAsString(arguments);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the arguments of " + tool, e);
        }
    }
}
