package io.helpstream.tools;

/**
 * What the tools let one turn do, whatever the model asks: a model that is injected, confused or looping gets a
 * {@link ToolResult.LimitReached} instead of a 40th ticket, a 500th look-up or a context that swells every later
 * prompt.
 *
 * @param maxToolCallsPerTurn  tool calls of any kind (reads included) one message may cause, however many the model
 *                             asks for in one response
 * @param maxWritesPerTurn     ticket writes (create, update, escalate) one message may cause
 * @param maxContextEntries    facts a conversation may remember; a known key can always be updated
 * @param maxContextValueBytes UTF-8 bytes of one remembered value
 */
public record ToolLimits(int maxToolCallsPerTurn, int maxWritesPerTurn, int maxContextEntries,
                         int maxContextValueBytes) {

    public static final int DEFAULT_MAX_TOOL_CALLS_PER_TURN = 20;
    public static final int DEFAULT_MAX_WRITES_PER_TURN = 5;
    public static final int DEFAULT_MAX_CONTEXT_ENTRIES = 20;
    public static final int DEFAULT_MAX_CONTEXT_VALUE_BYTES = 500;

    public ToolLimits {
        if (maxToolCallsPerTurn < 1 || maxWritesPerTurn < 0 || maxContextEntries < 0 || maxContextValueBytes < 1) {
            throw new IllegalArgumentException("tool limits must be >= 0 (tool calls and value bytes >= 1), were "
                    + maxToolCallsPerTurn + ", " + maxWritesPerTurn + ", " + maxContextEntries + ", "
                    + maxContextValueBytes);
        }
    }

    public static ToolLimits defaults() {
        return new ToolLimits(DEFAULT_MAX_TOOL_CALLS_PER_TURN, DEFAULT_MAX_WRITES_PER_TURN,
                DEFAULT_MAX_CONTEXT_ENTRIES, DEFAULT_MAX_CONTEXT_VALUE_BYTES);
    }
}
