package io.helpstream.tickets;

import java.util.Objects;

/** A frequently asked question: the topic it is matched by and its answer. */
public record FaqEntry(String topic, String answer) {
    public FaqEntry {
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(answer, "answer");
    }
}
