package io.helpstream.turn;

/**
 * Answers one customer message: the model and its tools. Called off the stream thread, at most once at a time per
 * conversation, possibly again for the same message after a crash (its writes are idempotent per message).
 *
 * <p>Throwing means the turn could not be completed; the caller retries it later.
 */
@FunctionalInterface
public interface Agent {
    TurnOutcome respond(TurnRequest request) throws Exception;
}
