package io.helpstream.localstack.kafka;

/** The in-process broker could not be prepared, started or stopped. */
public class EmbeddedKafkaException extends RuntimeException {
    public EmbeddedKafkaException(String message) {
        super(message);
    }

    public EmbeddedKafkaException(String message, Throwable cause) {
        super(message, cause);
    }
}
