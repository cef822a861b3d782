/**
 * The journal of a turn's decisions: every model response and every tool result of a turn is recorded, under the
 * turn's fence, before the turn acts on it, keyed by conversation, message and step. A rerun of the same message
 * ({@link io.helpstream.journal.RecordedTurn}) replays the recorded steps instead of asking the model again, so it
 * makes the same tool calls with the same arguments and its reply agrees with the writes made for the message.
 * {@link io.helpstream.journal.TurnJournal} is the port, {@code journal.postgres} its adapter next to the idempotency
 * records; {@link io.helpstream.journal.TurnJournals} opens turns and removes the steps of answered messages.
 */
package io.helpstream.journal;
