package io.helpstream.kafka;

/** Topics could not be created, or an existing topic has fewer partitions than the application needs. */
public class TopicCreationException extends RuntimeException {
    public TopicCreationException(String message) {
        super(message);
    }

    public TopicCreationException(String message, Throwable cause) {
        super(message, cause);
    }
}
