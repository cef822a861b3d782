package io.helpstream.turn;

import java.util.Objects;

/** A turn that has finished, successfully ({@code outcome}) or not ({@code failure}). */
public record TurnCompletion(TurnRequest request, TurnOutcome outcome, Throwable failure) {

    public TurnCompletion {
        Objects.requireNonNull(request, "request");
        if ((outcome == null) == (failure == null)) {
            throw new IllegalArgumentException("exactly one of outcome and failure must be set");
        }
    }
}
