/**
 * The tools the agent offers the model, under the names in {@link io.helpstream.tools.ToolNames}. Every tool answers
 * with a {@link io.helpstream.tools.ToolResult}, written as text by {@link io.helpstream.tools.ToolResults}; the ticket
 * tools act through {@link io.helpstream.tools.TicketAccess}, and all of a turn's tools share its
 * {@link io.helpstream.tools.TurnContext}.
 */
package io.helpstream.tools;
