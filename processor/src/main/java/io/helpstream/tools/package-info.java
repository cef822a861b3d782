/**
 * The tools the agent offers the model, under the names in {@link io.helpstream.tools.ToolNames}. Every tool answers
 * with a {@link io.helpstream.tools.ToolResult}, written as text by {@link io.helpstream.tools.ToolResults}; the ticket
 * tools act through {@link io.helpstream.tools.TicketAccess}, all of a turn's tools share its
 * {@link io.helpstream.tools.TurnContext}, and {@link io.helpstream.tools.ToolCallCap} offers them to the AI service
 * behind the turn's cap on tool calls.
 */
package io.helpstream.tools;
