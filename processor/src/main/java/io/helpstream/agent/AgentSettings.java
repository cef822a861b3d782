package io.helpstream.agent;

import io.helpstream.tools.ToolLimits;
import java.util.Objects;

/**
 * How the agent runs a turn. The model sees the conversation's whole stored history, whose length the conversation
 * settings bound.
 *
 * @param maxToolRoundTrips how many times per turn the model may call tools before it must answer
 * @param systemPrompt      the instructions for the model; null or blank means {@link SystemPrompt#DEFAULT}
 * @param toolLimits        what the tools let one turn do, whatever the model asks
 */
public record AgentSettings(int maxToolRoundTrips, String systemPrompt, ToolLimits toolLimits) {

    public static final int DEFAULT_MAX_TOOL_ROUND_TRIPS = 5;

    public AgentSettings {
        if (maxToolRoundTrips < 1) {
            throw new IllegalArgumentException("maxToolRoundTrips must be >= 1, was " + maxToolRoundTrips);
        }
        systemPrompt = SystemPrompt.orDefault(systemPrompt);
        Objects.requireNonNull(toolLimits, "toolLimits");
    }

    /** With the default tool limits. */
    public AgentSettings(int maxToolRoundTrips, String systemPrompt) {
        this(maxToolRoundTrips, systemPrompt, ToolLimits.defaults());
    }

    /** Five tool round trips, the default prompt. */
    public static AgentSettings defaults() {
        return new AgentSettings(DEFAULT_MAX_TOOL_ROUND_TRIPS, null);
    }
}
