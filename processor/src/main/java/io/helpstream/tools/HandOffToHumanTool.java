package io.helpstream.tools;

import dev.langchain4j.agent.tool.P;
import dev.langchain4j.agent.tool.Tool;
import dev.langchain4j.invocation.InvocationParameters;
import io.helpstream.contract.SafeText;
import io.helpstream.tools.ToolResult.HandoffNeedsReason;
import io.helpstream.tools.ToolResult.HandoffRequested;
import io.helpstream.turn.TurnOutcome.HandoffRequest;

/**
 * Hands the conversation to a human agent. The tool only asks: the request goes to the turn's outcome, and the
 * stream thread changes the conversation's mode and publishes the handoff with the turn's reply (or not at all,
 * when the conversation is handed off already).
 */
public final class HandOffToHumanTool {

    /** Most characters of the reason and of the summary kept; the summary is model-written text for a person. */
    static final int MAX_REASON_CHARS = 200;
    static final int MAX_SUMMARY_CHARS = 1_000;

    @Tool(name = ToolNames.HAND_OFF_TO_HUMAN, value = "Hand this conversation to a human support agent: when the "
            + "customer asks for a person, or when you cannot help them. A person answers from then on.")
    public String handOffToHuman(@P("Why a human is needed, in a few words") String reason,
                                 @P("A short summary of the conversation for the human agent") String summary,
                                 InvocationParameters parameters) {
        TurnContext turn = TurnContext.from(parameters);
        String why = clip(reason, MAX_REASON_CHARS);
        if (why.isEmpty()) {
            return ToolResults.render(new HandoffNeedsReason());
        }
        turn.outcome().handoff(new HandoffRequest(why, clip(summary, MAX_SUMMARY_CHARS)));
        return ToolResults.render(new HandoffRequested(why));
    }

    private static String clip(String text, int max) {
        String clean = text == null ? "" : SafeText.clean(text).strip();
        return clean.length() <= max ? clean : clean.substring(0, max);
    }
}
