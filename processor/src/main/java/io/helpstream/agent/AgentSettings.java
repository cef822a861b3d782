package io.helpstream.agent;

/**
 * How the agent runs a turn. The model sees the conversation's whole stored history, whose length the conversation
 * settings bound.
 *
 * @param maxToolRoundTrips how many times per turn the model may call tools before it must answer
 * @param systemPrompt      the instructions for the model; null or blank means {@link SystemPrompt#DEFAULT}
 */
public record AgentSettings(int maxToolRoundTrips, String systemPrompt) {

    public static final int DEFAULT_MAX_TOOL_ROUND_TRIPS = 5;

    public AgentSettings {
        if (maxToolRoundTrips < 1) {
            throw new IllegalArgumentException("maxToolRoundTrips must be >= 1, was " + maxToolRoundTrips);
        }
        systemPrompt = SystemPrompt.orDefault(systemPrompt);
    }

    /** Five tool round trips, the default prompt. */
    public static AgentSettings defaults() {
        return new AgentSettings(DEFAULT_MAX_TOOL_ROUND_TRIPS, null);
    }
}
