/**
 * The turn lifecycle, independent of any model: the {@link io.helpstream.turn.Agent} port, what a turn is given
 * ({@code TurnRequest}) and gives back ({@code TurnOutcome}), and the bounded {@code TurnExecutor} that runs turns off
 * the stream thread.
 */
package io.helpstream.turn;
