package io.helpstream.tools;

import io.helpstream.security.VerificationSettings;
import io.helpstream.tickets.SupportRepository;
import java.time.Clock;
import java.util.List;

/** Every tool the support agent offers the model, wired to one repository. */
public final class SupportTools {

    /** The agent name the seed records on tickets it updates. */
    public static final String DEFAULT_AGENT_NAME = "AI_Agent_001";

    private SupportTools() {
    }

    /**
     * @param repository    the support database (possibly behind a cache)
     * @param assignedAgent recorded as the assigned agent on tickets the agent updates
     * @param clock         for conversation durations
     */
    public static List<Object> create(SupportRepository repository, String assignedAgent, Clock clock) {
        return create(repository, assignedAgent, VerificationSettings.defaults(), clock);
    }

    /** @param verification how many attempts and how long a one-time code has */
    public static List<Object> create(SupportRepository repository, String assignedAgent,
                                      VerificationSettings verification, Clock clock) {
        return create(repository, assignedAgent, verification, true, clock);
    }

    /** @param handoff the agent may hand conversations to a human ({@link HandOffToHumanTool}) */
    public static List<Object> create(SupportRepository repository, String assignedAgent,
                                      VerificationSettings verification, boolean handoff, Clock clock) {
        List<Object> tools = new java.util.ArrayList<>(List.of(
                new CustomerLookupTool(repository),
                new CreateTicketTool(repository),
                new UpdateTicketTool(repository, assignedAgent),
                new EscalateTicketTool(repository, assignedAgent),
                new FaqTool(repository),
                new ConversationTools(clock),
                new VerificationTools(repository, verification, clock)));
        if (handoff) {
            tools.add(new HandOffToHumanTool());
        }
        return List.copyOf(tools);
    }
}
