package io.helpstream.agent;

import io.helpstream.security.Budgets;
import io.helpstream.security.VerificationSettings;
import io.helpstream.tools.ToolLimits;
import java.util.Objects;

/**
 * How the agent runs a turn. The model sees the conversation's whole stored history, whose length the conversation
 * settings bound.
 *
 * @param maxToolRoundTrips how many times per turn the model may call tools before it must answer
 * @param systemPrompt      the instructions for the model; null or blank means {@link SystemPrompt#DEFAULT}
 * @param toolLimits        what the tools let one turn do, whatever the model asks
 * @param budgets           model calls per message and tokens per customer per day (the agent's share of them)
 * @param verification      attempts and lifetime of the one-time codes the verification tools check
 * @param handoffTool       the model is offered {@code handOffToHuman}
 */
public record AgentSettings(int maxToolRoundTrips, String systemPrompt, ToolLimits toolLimits, Budgets budgets,
                            VerificationSettings verification, boolean handoffTool) {

    public static final int DEFAULT_MAX_TOOL_ROUND_TRIPS = 5;

    public AgentSettings {
        if (maxToolRoundTrips < 1) {
            throw new IllegalArgumentException("maxToolRoundTrips must be >= 1, was " + maxToolRoundTrips);
        }
        systemPrompt = SystemPrompt.orDefault(systemPrompt);
        Objects.requireNonNull(toolLimits, "toolLimits");
        Objects.requireNonNull(budgets, "budgets");
        Objects.requireNonNull(verification, "verification");
    }

    /** With the handoff tool offered. */
    public AgentSettings(int maxToolRoundTrips, String systemPrompt, ToolLimits toolLimits, Budgets budgets,
                         VerificationSettings verification) {
        this(maxToolRoundTrips, systemPrompt, toolLimits, budgets, verification, true);
    }

    /** With the default budgets and verification. */
    public AgentSettings(int maxToolRoundTrips, String systemPrompt, ToolLimits toolLimits) {
        this(maxToolRoundTrips, systemPrompt, toolLimits, Budgets.defaults(), VerificationSettings.defaults());
    }

    /** With the default tool limits. */
    public AgentSettings(int maxToolRoundTrips, String systemPrompt) {
        this(maxToolRoundTrips, systemPrompt, ToolLimits.defaults());
    }

    /** Five tool round trips, the default prompt. */
    public static AgentSettings defaults() {
        return new AgentSettings(DEFAULT_MAX_TOOL_ROUND_TRIPS, null);
    }

    public AgentSettings withBudgets(Budgets otherBudgets) {
        return new AgentSettings(maxToolRoundTrips, systemPrompt, toolLimits, otherBudgets, verification, handoffTool);
    }

    public AgentSettings withHandoffTool(boolean offered) {
        return new AgentSettings(maxToolRoundTrips, systemPrompt, toolLimits, budgets, verification, offered);
    }

    /**
     * Model calls one turn may make: the first answer and one per tool round trip, and never more than the budget.
     * The tighter of the two decides, and either way the turn ends with the budget's fixed reply.
     */
    public int maxModelCalls() {
        return Math.min(maxToolRoundTrips + 1, budgets.maxModelCallsPerMessage());
    }
}
