package io.helpstream.conversation;

import io.helpstream.conversation.ConversationStore.Pending;
import io.helpstream.schema.AgentReply;
import io.helpstream.schema.TicketEvent;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;

/**
 * What sets a replayed dead letter apart from the message it was: the conversation keeps which dead letter a pending
 * message replays, the reply to it gets a reply id of its own (the message already had one: its apology's), and the
 * ticket events of writes its first turn made (which its tools meet again under the same keys, and whose events went
 * out with that turn's reply) are not published again. Only a record that came through the {@link ControlTopic}
 * counts as a replay: the same header on a record of the input topic is ignored.
 */
final class Replays {

    private Replays() {
    }

    /** The dead letter a record replays, when it came from the control topic and names one. */
    static String replayOf(Record<String, ?> record, ProcessorContext<?, ?> context, ControlTopic control) {
        Optional<String> source = context.recordMetadata().map(RecordMetadata::topic);
        if (control.name().isEmpty() || !source.equals(control.name())) {
            return null;
        }
        return ControlTopic.header(record.headers(), ControlTopic.REPLAY_OF).orElse(null);
    }

    /** What the dedup store remembers for a replayed dead letter: no message id holds a NUL, so none is the same. */
    static String marker(String deadLetter) {
        return "\u0000replay:" + deadLetter;
    }

    /**
     * The events to publish for a turn: all of them, unless it answers a replayed dead letter; then only those of
     * writes made since the replay was accepted.
     */
    static List<TicketEvent> published(List<TicketEvent> events, List<Pending> answered) {
        Optional<Instant> replayAccepted = answered.stream().filter(pending -> pending.message().getReplayOf() != null)
                .map(pending -> pending.message().getReceivedAt()).min(Instant::compareTo);
        return replayAccepted.map(since -> events.stream().filter(event -> !event.getOccurredAt().isBefore(since))
                .toList()).orElse(events);
    }

    /** Gives the reply a reply id of its own when the newest message it answers replays a dead letter. */
    static void identify(AgentReply reply, List<Pending> answered) {
        String replayOf = answered.get(answered.size() - 1).message().getReplayOf();
        if (replayOf != null) {
            reply.setReplyId(UUID.nameUUIDFromBytes(("reply:" + reply.getConversationId() + '\u0000'
                    + reply.getInReplyTo() + '\u0000' + marker(replayOf)).getBytes(StandardCharsets.UTF_8))
                    .toString());
        }
    }
}
