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

    /**
     * The request's messages are answered: their reply is in the transaction being committed. What the agent kept to
     * answer them again (its journal of the turn) may go. Called on the stream thread: must not block.
     */
    default void answered(TurnRequest request) {
    }
}
