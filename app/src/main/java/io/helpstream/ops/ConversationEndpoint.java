package io.helpstream.ops;

import io.helpstream.app.Application;
import io.helpstream.config.AdminToken;
import io.helpstream.config.HttpSettings;
import io.helpstream.conversation.ConversationQueries;
import io.helpstream.protection.Redaction;
import io.helpstream.schema.ConversationState;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.HostInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /conversations/{id}}: a conversation's state as JSON ({@link ConversationJson}), behind the admin token.
 * It is read from the instance whose task owns the conversation: this one, or the one Kafka Streams names, to which
 * the request is forwarded once (a forwarded request is never forwarded again). 404 for a conversation no instance
 * holds, 503 while the owner cannot be known (starting, rebalancing), 502 when the owner does not answer.
 */
final class ConversationEndpoint implements OpsServer.Endpoints {

    private static final Logger log = LoggerFactory.getLogger(ConversationEndpoint.class);
    /** Marks a forwarded request, with the instance it came from. */
    static final String FORWARDED = "X-Helpstream-Forwarded-By";
    /** Names the instance that read the state (its advertised host and port, or "local"). */
    static final String SERVED_BY = "X-Helpstream-Served-By";

    private final Served served;
    private final AdminToken token;
    private final HttpSettings settings;
    private final Optional<HostInfo> self;
    private final HttpClient client;

    ConversationEndpoint(Served served, AdminToken token, HttpSettings settings) {
        this.served = Objects.requireNonNull(served, "served");
        this.token = Objects.requireNonNull(token, "token");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.self = settings.advertisedUrl().map(url -> new HostInfo(url.getHost(), HttpSettings.portOf(url)));
        this.client = HttpClient.newBuilder().connectTimeout(settings.forwardTimeout()).build();
    }

    @Override
    public void addTo(RoutesConfig routes) {
        routes.get("/conversations/{id}", this::conversation);
    }

    private void conversation(Context ctx) {
        if (!token.admits(ctx.header("Authorization"))) {
            ctx.header("WWW-Authenticate", "Bearer realm=\"helpstream\"").status(401)
                    .json(Map.of("error", "this endpoint needs the admin token (Authorization: Bearer ...)"));
            return;
        }
        answer(ctx, ctx.pathParam("id"));
    }

    /** Answers with the conversation's state; the caller has checked who asks (the token, or a desk sign-in). */
    void answer(Context ctx, String id) {
        Optional<Application> app = served.current();
        if (app.isEmpty()) {
            unavailable(ctx, "helpstream is starting");
            return;
        }
        ConversationQueries queries = app.get().conversations();
        KeyQueryMetadata owner = self.isPresent() ? queries.ownerOf(id) : KeyQueryMetadata.NOT_AVAILABLE;
        if (self.isPresent() && owner.equals(KeyQueryMetadata.NOT_AVAILABLE)) {
            unavailable(ctx, "the owner of the conversation is not known yet (starting or rebalancing)");
            return;
        }
        if (self.isEmpty() || owner.activeHost().equals(self.get())) {
            readHere(ctx, queries, id, self.isPresent() ? owner.partition() : -1);
        } else if (ctx.header(FORWARDED) != null) {
            unavailable(ctx, "the conversation moved while the request was forwarded");
        } else {
            forward(ctx, owner.activeHost(), id);
        }
    }

    private void readHere(Context ctx, ConversationQueries queries, String id, int partition) {
        Optional<ConversationState> state;
        try {
            state = queries.read(id, partition);
        } catch (InvalidStateStoreException e) {
            unavailable(ctx, "the conversation stores cannot be read now (starting or rebalancing)");
            return;
        }
        ctx.header(SERVED_BY, self.map(host -> host.host() + ":" + host.port()).orElse("local"));
        if (state.isEmpty()) {
            ctx.status(404).json(Map.of("error", "no such conversation"));
            return;
        }
        ctx.json(ConversationJson.of(state.get()));
    }

    private void forward(Context ctx, HostInfo owner, String id) {
        String scheme = settings.advertisedUrl().map(URI::getScheme).orElse("http");
        URI target = URI.create(scheme + "://" + owner.host() + ":" + owner.port() + "/conversations/"
                + URLEncoder.encode(id, StandardCharsets.UTF_8).replace("+", "%20"));
        HttpRequest request = HttpRequest.newBuilder(target).timeout(settings.forwardTimeout())
                .header("Authorization", token.authorization())
                .header(FORWARDED, self.map(host -> host.host() + ":" + host.port()).orElse("unknown"))
                .GET().build();
        try {
            HttpResponse<byte[]> answer = client.send(request, HttpResponse.BodyHandlers.ofByteArray());
            answer.headers().firstValue(SERVED_BY).ifPresent(by -> ctx.header(SERVED_BY, by));
            ctx.status(answer.statusCode()).contentType(answer.headers().firstValue("Content-Type")
                    .orElse("application/json")).result(answer.body());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            unavailable(ctx, "interrupted");
        } catch (Exception e) {
            log.warn("Forwarding a conversation request to {}:{} failed: {}", owner.host(), owner.port(),
                    Redaction.describe(e));
            ctx.status(502).json(Map.of("error", "the instance that owns the conversation (" + owner.host() + ":"
                    + owner.port() + ") did not answer"));
        }
    }

    private static void unavailable(Context ctx, String why) {
        ctx.header("Retry-After", "1").status(503).json(Map.of("error", why));
    }
}
