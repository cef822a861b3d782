package io.helpstream.app.outage;

import io.helpstream.client.GatewayClient;
import io.helpstream.schema.AgentReply;
import io.helpstream.schema.CustomerMessage;
import io.helpstream.schema.TicketEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.IntFunction;

/**
 * A steady stream of customer messages through a {@link GatewayClient} (created before the first message, so it
 * reads every reply with {@code read_committed}), each message labelled with the phase of the outage it was sent in.
 * Not thread-safe: the test's thread sends and reads.
 */
final class Traffic {

    /** A message as sent, with its phase. */
    record Sent(CustomerMessage message, String phase) {
        String id() {
            return message.getMessageId();
        }
    }

    /** What to send next: conversation id, gateway email and text of the n-th message. */
    record Next(String conversationId, String email, String text) {
    }

    private final GatewayClient gateway;
    private final IntFunction<Next> messages;
    private final Duration interval;
    private final List<Sent> sent = new ArrayList<>();

    Traffic(GatewayClient gateway, IntFunction<Next> messages, Duration interval) {
        this.gateway = gateway;
        this.messages = messages;
        this.interval = interval;
    }

    /** Sends one message per interval for the given time, reading replies in between. */
    void send(String phase, Duration duration) {
        sendUntil(phase, duration, () -> false);
    }

    /** Like {@link #send} but stops early once {@code done} holds. */
    void sendUntil(String phase, Duration maximum, BooleanSupplier done) {
        long end = System.nanoTime() + maximum.toNanos();
        while (System.nanoTime() < end && !done.getAsBoolean()) {
            Next next = messages.apply(sent.size());
            CustomerMessage message = gateway.send(next.conversationId(), next.email(), next.text());
            sent.add(new Sent(message, phase));
            gateway.poll(interval);
        }
    }

    /** Reads replies until every sent message has one, then a little longer to catch any duplicate. */
    void awaitAllAnswered(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (unanswered() > 0 && System.nanoTime() < deadline) {
            gateway.poll(Duration.ofMillis(200));
        }
        gateway.poll(Duration.ofSeconds(2));
    }

    long unanswered() {
        Map<String, List<AgentReply>> replies = repliesByMessage();
        return sent.stream().filter(s -> !replies.containsKey(s.id())).count();
    }

    List<Sent> sent() {
        return List.copyOf(sent);
    }

    List<Sent> sentIn(String phase) {
        return sent.stream().filter(s -> s.phase().equals(phase)).toList();
    }

    /** Every reply read, grouped by the message it answers (a list longer than one is a duplicate). */
    Map<String, List<AgentReply>> repliesByMessage() {
        Map<String, List<AgentReply>> byMessage = new HashMap<>();
        for (AgentReply reply : gateway.replies()) {
            byMessage.computeIfAbsent(reply.getInReplyTo(), id -> new ArrayList<>()).add(reply);
        }
        return byMessage;
    }

    List<TicketEvent> ticketEventsFor(String messageId) {
        return gateway.ticketEventsFor(messageId);
    }
}
