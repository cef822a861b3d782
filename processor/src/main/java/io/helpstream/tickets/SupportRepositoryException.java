package io.helpstream.tickets;

/** The support database could not answer (unreachable, timed out, constraint broken unexpectedly). */
public class SupportRepositoryException extends RuntimeException {
    public SupportRepositoryException(String message, Throwable cause) {
        super(message, cause);
    }
}
