package io.helpstream.ops;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.helpstream.config.AdminToken;
import io.helpstream.desk.Desk;
import io.helpstream.desk.DeskAgent;
import io.helpstream.desk.DeskSessions;
import io.helpstream.live.TopicWriter;
import io.helpstream.schema.AgentAction;
import io.helpstream.schema.AgentActionType;
import io.helpstream.schema.HandoffEvent;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The human-agent desk: its pages, the sign-in that opens them, and the API they call (the open handoffs, one
 * conversation's history and timeline, its events live, the agent's actions). A browser cannot put the admin token
 * on an EventSource, so the token is typed once into the sign-in page (compared in constant time) and answered with a
 * session cookie: HttpOnly (no script reads it), SameSite=Strict (no other site's page sends it), scoped to
 * {@code /desk}. A request whose Origin is another site's is refused as well.
 */
final class DeskEndpoints implements OpsServer.Endpoints {

    static final String COOKIE = "helpstream_desk";
    private static final Set<AgentActionType> ACTIONS = Set.of(AgentActionType.ACCEPT, AgentActionType.REPLY,
            AgentActionType.NOTE, AgentActionType.RELEASE, AgentActionType.END);

    /** An action as the desk's page posts it. */
    record ActionRequest(String type, String text) {
    }

    private final AdminToken token;
    private final DeskSessions sessions;
    private final Supplier<Optional<Desk>> desk;
    private final ConversationEndpoint conversations;
    private final EventStream streams;
    private final Supplier<Integer> maxTextBytes;
    private final Pages pages;

    private final Counter signedIn;
    private final Counter refused;

    DeskEndpoints(AdminToken token, DeskSessions sessions, Supplier<Optional<Desk>> desk,
                  ConversationEndpoint conversations, EventStream streams, Supplier<Integer> maxTextBytes,
                  Pages pages, MeterRegistry registry) {
        this.signedIn = registry.counter("helpstream.desk.sign.ins", "outcome", "accepted");
        this.refused = registry.counter("helpstream.desk.sign.ins", "outcome", "refused");
        this.token = Objects.requireNonNull(token, "token");
        this.sessions = Objects.requireNonNull(sessions, "sessions");
        this.desk = Objects.requireNonNull(desk, "desk");
        this.conversations = Objects.requireNonNull(conversations, "conversations");
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
        routes.get("/desk", ctx -> page(ctx, "desk.html"));
        routes.get("/desk/conversations/{id}", ctx -> page(ctx, "conversation.html"));
        routes.get("/desk/sign-in", ctx -> pages.serve(ctx, "sign-in.html"));
        routes.post("/desk/sign-in", this::signIn);
        routes.post("/desk/sign-out", this::signOut);
        routes.get("/desk/api/me", ctx -> agent(ctx).ifPresent(agent -> ctx.json(agent)));
        routes.get("/desk/api/handoffs", this::handoffs);
        routes.get("/desk/api/handoffs/{id}", this::handoff);
        routes.get("/desk/api/conversations/{id}", ctx -> {
            if (agent(ctx).isPresent()) {
                conversations.answer(ctx, ctx.pathParam("id"));
            }
        });
        routes.post("/desk/api/conversations/{id}/actions", this::act);
        routes.get("/desk/api/events", this::events);
    }

    private void page(Context ctx, String name) {
        if (session(ctx).isEmpty()) {
            ctx.redirect("/desk/sign-in", HttpStatus.SEE_OTHER);
            return;
        }
        pages.serve(ctx, name);
    }

    private void signIn(Context ctx) {
        if (!sameOrigin(ctx)) {
            return;
        }
        if (!token.matches(ctx.formParam("token"))) {
            refused.increment();
            ctx.redirect("/desk/sign-in?failed=token", HttpStatus.SEE_OTHER);
            return;
        }
        DeskAgent agent;
        try {
            agent = new DeskAgent(trimmed(ctx.formParam("agentId")), trimmed(ctx.formParam("name")));
        } catch (IllegalArgumentException e) {
            ctx.redirect("/desk/sign-in?failed=agent", HttpStatus.SEE_OTHER);
            return;
        }
        String id = sessions.open(agent);
        signedIn.increment();
        ctx.header("Set-Cookie", COOKIE + "=" + id + "; Path=/desk; HttpOnly; SameSite=Strict; Max-Age="
                + sessions.lifetime().toSeconds());
        ctx.redirect("/desk", HttpStatus.SEE_OTHER);
    }

    private void signOut(Context ctx) {
        if (!sameOrigin(ctx)) {
            return;
        }
        sessions.close(ctx.cookie(COOKIE));
        ctx.header("Set-Cookie", COOKIE + "=; Path=/desk; HttpOnly; SameSite=Strict; Max-Age=0");
        ctx.redirect("/desk/sign-in", HttpStatus.SEE_OTHER);
    }

    private void handoffs(Context ctx) {
        if (agent(ctx).isEmpty()) {
            return;
        }
        backend(ctx).ifPresent(d -> ctx.json(Map.of("cases", d.view().cases(), "leftOut", d.view().leftOut())));
    }

    private void handoff(Context ctx) {
        if (agent(ctx).isEmpty()) {
            return;
        }
        backend(ctx).ifPresent(d -> d.view().find(ctx.pathParam("id")).ifPresentOrElse(ctx::json,
                () -> ctx.status(404).json(Map.of("error", "this conversation is not handed off"))));
    }

    private void act(Context ctx) {
        Optional<DeskAgent> agent = agent(ctx);
        if (agent.isEmpty() || !sameOrigin(ctx)) {
            return;
        }
        Optional<Desk> backend = backend(ctx);
        if (backend.isEmpty()) {
            return;
        }
        ActionRequest request;
        AgentActionType type;
        try {
            request = ctx.bodyAsClass(ActionRequest.class);
            type = AgentActionType.valueOf(String.valueOf(request.type()));
        } catch (RuntimeException e) {
            ctx.status(400).json(Map.of("error", "expected {\"type\": ACCEPT|REPLY|NOTE|RELEASE|END, \"text\": ...}"));
            return;
        }
        String text = request.text() == null || request.text().isBlank() ? null : request.text().strip();
        boolean needsText = type == AgentActionType.REPLY || type == AgentActionType.NOTE;
        if (!ACTIONS.contains(type) || needsText && text == null) {
            ctx.status(400).json(Map.of("error", needsText ? type + " needs a text" : "unknown action " + type));
            return;
        }
        if (text != null && text.getBytes(StandardCharsets.UTF_8).length > maxTextBytes.get()) {
            ctx.status(413).json(Map.of("error", "the text is longer than " + maxTextBytes.get() + " bytes"));
            return;
        }
        try {
            AgentAction action = backend.get().act(agent.get(), ctx.pathParam("id"), type, needsText ? text : null);
            ctx.status(202).json(Map.of("actionId", action.getActionId(), "type", type.name()));
        } catch (TopicWriter.NotWritten e) {
            ctx.header("Retry-After", "1").status(503)
                    .json(Map.of("error", "the action was not sent (" + e.getMessage() + "); try again"));
        }
    }

    private void events(Context ctx) throws Exception {
        if (agent(ctx).isEmpty()) {
            return;
        }
        Optional<Desk> backend = backend(ctx);
        if (backend.isEmpty()) {
            return;
        }
        String conversation = ctx.queryParam("conversation");
        streams.serve(ctx, sink -> backend.get().view().subscribers().subscribe(
                event -> conversation == null || conversation.equals(event.getConversationId()),
                event -> sink.accept(new EventStream.Event("handoff", json(event)))));
    }

    /** An event as the pages read it: the timeline's fields, times in ISO-8601. */
    static String json(HandoffEvent event) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("eventId", event.getEventId());
        fields.put("conversationId", event.getConversationId());
        fields.put("type", event.getType().name());
        fields.put("at", event.getAt());
        fields.put("mode", event.getMode().name());
        fields.put("agentId", event.getAgentId());
        fields.put("actionId", event.getActionId());
        fields.put("messageId", event.getMessageId());
        fields.put("text", event.getText());
        fields.put("reason", event.getReason());
        try {
            return OpsServer.JSON.writeValueAsString(fields);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The signed-in agent; otherwise answers 401 and is empty. */
    private Optional<DeskAgent> agent(Context ctx) {
        Optional<DeskAgent> agent = session(ctx);
        if (agent.isEmpty()) {
            ctx.status(401).json(Map.of("error", "sign in at /desk/sign-in"));
        }
        return agent;
    }

    private Optional<DeskAgent> session(Context ctx) {
        return sessions.agent(ctx.cookie(COOKIE));
    }

    private Optional<Desk> backend(Context ctx) {
        Optional<Desk> found = desk.get();
        if (found.isEmpty()) {
            ctx.header("Retry-After", "1").status(503).json(Map.of("error", "helpstream is starting"));
        }
        return found;
    }

    /** A state-changing request must come from a page of this server (when the browser says where it came from). */
    static boolean sameOrigin(Context ctx) {
        String origin = ctx.header("Origin");
        String host = ctx.header("Host");
        if (origin == null) {
            return true;
        }
        boolean same = host != null && (origin.equals("http://" + host) || origin.equals("https://" + host));
        if (!same) {
            ctx.status(403).json(Map.of("error", "cross-site request refused"));
        }
        return same;
    }

    private static String trimmed(String value) {
        return value == null ? "" : value.strip();
    }
}
