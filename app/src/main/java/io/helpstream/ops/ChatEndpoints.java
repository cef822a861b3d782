package io.helpstream.ops;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.helpstream.contract.SafeText;
import io.helpstream.live.TopicWriter;
import io.helpstream.schema.AgentReply;
import io.helpstream.schema.CustomerMessage;
import io.helpstream.schema.ReplyAuthor;
import io.helpstream.webchat.WebChat;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * The customer chat page, the reference web gateway: a customer types an email and messages; each message goes to
 * the input topic with that email as the one the gateway asserts (so anyone can claim any customer here: the page is
 * off unless {@code HELPSTREAM_CHAT_PAGE=true}), under a random conversation id; the conversation's replies stream
 * back as server-sent events, a human agent's marked as such.
 */
final class ChatEndpoints implements OpsServer.Endpoints {

    /** The input topic's own check (MessageValidator), so that the page refuses what would be dead-lettered. */
    private static final Pattern EMAIL = Pattern.compile("^[^@\\s]{1,64}@[^@\\s.]+(\\.[^@\\s.]+)+$");

    record StartRequest(String email) {
    }

    record MessageRequest(String text) {
    }

    private final Supplier<Optional<WebChat>> chat;
    private final EventStream streams;
    private final Supplier<Integer> maxTextBytes;
    private final Pages pages;

    ChatEndpoints(Supplier<Optional<WebChat>> chat, EventStream streams, Supplier<Integer> maxTextBytes,
                  Pages pages) {
        this.chat = Objects.requireNonNull(chat, "chat");
        this.streams = Objects.requireNonNull(streams, "streams");
        this.maxTextBytes = Objects.requireNonNull(maxTextBytes, "maxTextBytes");
        this.pages = Objects.requireNonNull(pages, "pages");
    }

    /** Ends the open event streams. */
    @Override
    public void close() {
        streams.close();
    }

    @Override
    public void addTo(RoutesConfig routes) {
        routes.get("/chat", ctx -> pages.serve(ctx, "chat.html"));
        routes.post("/chat/api/conversations", this::start);
        routes.post("/chat/api/conversations/{id}/messages", this::send);
        routes.get("/chat/api/conversations/{id}/replies", this::replies);
    }

    private void start(Context ctx) {
        Optional<WebChat> backend = backend(ctx);
        if (backend.isEmpty() || !DeskEndpoints.sameOrigin(ctx)) {
            return;
        }
        String email;
        try {
            StartRequest request = ctx.bodyAsClass(StartRequest.class);
            email = request.email() == null || request.email().isBlank() ? null : request.email().strip();
        } catch (RuntimeException e) {
            ctx.status(400).json(Map.of("error", "expected {\"email\": ...}"));
            return;
        }
        if (email != null && (email.length() > 254 || !EMAIL.matcher(email).matches())) {
            ctx.status(400).json(Map.of("error", "that is not an email address"));
            return;
        }
        ctx.status(201).json(Map.of("conversationId", backend.get().conversations().open(email)));
    }

    private void send(Context ctx) {
        Optional<WebChat> backend = backend(ctx);
        if (backend.isEmpty() || !DeskEndpoints.sameOrigin(ctx)) {
            return;
        }
        String text;
        try {
            text = ctx.bodyAsClass(MessageRequest.class).text();
        } catch (RuntimeException e) {
            text = null;
        }
        if (text == null || text.isBlank()) {
            ctx.status(400).json(Map.of("error", "expected {\"text\": ...}, not blank"));
            return;
        }
        if (text.getBytes(StandardCharsets.UTF_8).length > maxTextBytes.get()) {
            ctx.status(413).json(Map.of("error", "the message is longer than " + maxTextBytes.get() + " bytes"));
            return;
        }
        try {
            Optional<CustomerMessage> sent = backend.get().send(ctx.pathParam("id"), text.strip());
            if (sent.isEmpty()) {
                ctx.status(404).json(Map.of("error", "no such conversation on this page: start a new one"));
                return;
            }
            ctx.status(202).json(Map.of("messageId", sent.get().getMessageId()));
        } catch (TopicWriter.NotWritten e) {
            ctx.header("Retry-After", "1").status(503)
                    .json(Map.of("error", "the message was not sent (" + e.getMessage() + "); try again"));
        }
    }

    private void replies(Context ctx) throws Exception {
        Optional<WebChat> backend = backend(ctx);
        if (backend.isEmpty()) {
            return;
        }
        String id = ctx.pathParam("id");
        if (backend.get().conversations().email(id).isEmpty()) {
            ctx.status(404).json(Map.of("error", "no such conversation on this page: start a new one"));
            return;
        }
        streams.serve(ctx, sink -> backend.get().replies().subscribe(
                reply -> id.equals(reply.getConversationId()),
                reply -> sink.accept(new EventStream.Event("reply", json(reply)))));
    }

    /** A reply as the page shows it: the text cleaned of control characters, who wrote it. */
    static String json(AgentReply reply) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("replyId", reply.getReplyId());
        fields.put("inReplyTo", reply.getInReplyTo());
        fields.put("text", SafeText.clean(reply.getText()));
        fields.put("createdAt", reply.getCreatedAt());
        fields.put("author", reply.getAuthor() == ReplyAuthor.HUMAN ? "HUMAN" : "BOT");
        fields.put("agentId", reply.getAgentId());
        fields.put("degraded", reply.getDegraded());
        try {
            return OpsServer.JSON.writeValueAsString(fields);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private Optional<WebChat> backend(Context ctx) {
        Optional<WebChat> found = chat.get();
        if (found.isEmpty()) {
            ctx.header("Retry-After", "1").status(503).json(Map.of("error", "helpstream is starting"));
        }
        return found;
    }
}
