package io.helpstream.agent;

/**
 * How the agent runs a turn.
 *
 * @param historyTurns      how many earlier turns of the conversation the model sees
 * @param maxToolRoundTrips how many times per turn the model may call tools before it must answer
 * @param systemPrompt      the instructions for the model; null or blank means {@link SystemPrompt#DEFAULT}
 */
public record AgentSettings(int historyTurns, int maxToolRoundTrips, String systemPrompt) {

    public AgentSettings {
        if (historyTurns < 0) {
            throw new IllegalArgumentException("historyTurns must be >= 0, was " + historyTurns);
        }
        if (maxToolRoundTrips < 1) {
            throw new IllegalArgumentException("maxToolRoundTrips must be >= 1, was " + maxToolRoundTrips);
        }
        systemPrompt = SystemPrompt.orDefault(systemPrompt);
    }

    /** Ten turns of history, five tool round trips, the default prompt. */
    public static AgentSettings defaults() {
        return new AgentSettings(10, 5, null);
    }
}
