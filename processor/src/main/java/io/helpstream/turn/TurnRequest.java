package io.helpstream.turn;

import io.helpstream.fencing.Fence;
import io.helpstream.schema.ConversationState;
import io.helpstream.schema.CustomerMessage;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * One turn to run: the messages it answers (one, or several that waited and are answered together, oldest first) and
 * a private copy of the conversation as it stood when the turn started. The copy belongs to the turn; the stream
 * thread keeps its own. The turn is known by its first message: its id keys the turn's writes and events, so a rerun
 * that answers more messages than an earlier attempt still finds that attempt's writes.
 *
 * @param attempt 1 for the first try of this message, more after a failed turn was retried
 * @param resumed true when the turn was restarted after its task was restored (a crash, a rebalance): an attempt
 *                this process never saw may already have run tools for the message
 * @param fence   what the turn writes under: its task's fence, of which this attempt holds its own
 */
public record TurnRequest(List<CustomerMessage> messages, ConversationState conversation, int attempt,
                          boolean resumed, Fence fence) {

    /** Separates the texts of messages answered together in the text the model reads. */
    public static final String MESSAGE_SEPARATOR = "\n\n";

    /** A turn of no stream task (tests, benchmarks): its writes can be revoked but are fenced by no epoch. */
    public TurnRequest(List<CustomerMessage> messages, ConversationState conversation, int attempt,
                       boolean resumed) {
        this(messages, conversation, attempt, resumed, Fence.unscoped());
    }

    public TurnRequest(CustomerMessage message, ConversationState conversation, int attempt, boolean resumed) {
        this(List.of(message), conversation, attempt, resumed);
    }

    public TurnRequest(CustomerMessage message, ConversationState conversation, int attempt) {
        this(message, conversation, attempt, false);
    }

    public TurnRequest {
        messages = List.copyOf(Objects.requireNonNull(messages, "messages"));
        if (messages.isEmpty()) {
            throw new IllegalArgumentException("a turn answers at least one message");
        }
        Objects.requireNonNull(conversation, "conversation");
        if (attempt < 1) {
            throw new IllegalArgumentException("attempt must be >= 1, was " + attempt);
        }
        Objects.requireNonNull(fence, "fence");
    }

    /** The first message the turn answers, which names the turn. */
    public CustomerMessage message() {
        return messages.get(0);
    }

    /** What the customer said: the one message's text, or the texts of the messages answered together. */
    public String userText() {
        return messages.size() == 1 ? message().getText()
                : messages.stream().map(CustomerMessage::getText).collect(Collectors.joining(MESSAGE_SEPARATOR));
    }

    public String conversationId() {
        return message().getConversationId();
    }

    public String messageId() {
        return message().getMessageId();
    }

    /** True when another attempt at this message may have run before this one (and written something). */
    public boolean mayFollowAnotherAttempt() {
        return attempt > 1 || resumed;
    }
}
