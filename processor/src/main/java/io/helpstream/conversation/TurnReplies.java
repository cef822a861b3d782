package io.helpstream.conversation;

import io.helpstream.contract.SafeText;
import io.helpstream.schema.AgentReply;
import io.helpstream.schema.CustomerMessage;
import io.helpstream.schema.TicketEvent;
import io.helpstream.schema.TokenUsage;
import io.helpstream.turn.TurnOutcome;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** The bot's replies to customer messages: a turn's, the apology, and the fixed answers outside turns. */
final class TurnReplies {

    private TurnReplies() {
    }

    /**
     * The reply to {@code answered} (oldest first): to the newest of them, naming them all when there are several.
     * Its id derives from the conversation and the message it replies to, so a rerun of the same turn writes the same
     * reply id and the same message id in another conversation another one (ids carry no NUL: see the validator).
     */
    static AgentReply reply(String id, List<CustomerMessage> answered, TurnOutcome outcome, long now,
                            long receivedAt) {
        CustomerMessage newest = answered.get(answered.size() - 1);
        return AgentReply.newBuilder()
                .setReplyId(UUID.nameUUIDFromBytes(("reply:" + id + '\u0000' + newest.getMessageId())
                        .getBytes(StandardCharsets.UTF_8)).toString())
                .setConversationId(id)
                .setInReplyTo(newest.getMessageId())
                .setAnswers(answered.size() == 1 ? List.of()
                        : answered.stream().map(CustomerMessage::getMessageId).toList())
                .setText(SafeText.clean(outcome.replyText()))
                .setCreatedAt(Instant.ofEpochMilli(now))
                .setModel(outcome.model())
                .setUsage(outcome.usage())
                .setToolsUsed(outcome.toolCalls().stream().map(call -> call.getName()).toList())
                .setLatencyMs(Math.max(0, now - receivedAt))
                .setDegraded(outcome.degraded())
                .build();
    }

    static TurnOutcome apology() {
        return apology(List.of());
    }

    /** The apology, with the events of the ticket writes earlier attempts made. */
    static TurnOutcome apology(List<TicketEvent> written) {
        TurnOutcome.Builder apology = TurnOutcome.builder().replyText(ConversationProcessor.APOLOGY).model("none")
                .usage(new TokenUsage(0, 0, 0)).degraded(true);
        written.forEach(apology::ticketEvent);
        return apology.build();
    }

    static TurnOutcome fixed(String text) {
        return TurnOutcome.builder().replyText(text).model("none").usage(new TokenUsage(0, 0, 0)).build();
    }
}
