package io.helpstream.agent.offline;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/** A tool call the offline model wants to make: the tool's name and its arguments by parameter name. */
record PlannedCall(String tool, Map<String, String> arguments) {

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

    /** The arguments as the JSON object a model sends. */
    String argumentsJson() {
        StringBuilder json = new StringBuilder("{");
        arguments.forEach((name, value) -> {
            if (json.length() > 1) {
                json.append(',');
            }
            json.append(quote(name)).append(':').append(quote(value));
        });
        return json.append('}').toString();
    }

    private static String quote(String text) {
        StringBuilder quoted = new StringBuilder("\"");
        for (char c : text.toCharArray()) {
            switch (c) {
                case '"' -> quoted.append("\\\"");
                case '\\' -> quoted.append("\\\\");
                case '\n' -> quoted.append("\\n");
                case '\r' -> quoted.append("\\r");
                case '\t' -> quoted.append("\\t");
                default -> {
                    if (c < 0x20) {
                        quoted.append(String.format("\\u%04x", (int) c));
                    } else {
                        quoted.append(c);
                    }
                }
            }
        }
        return quoted.append('"').toString();
    }
}
