package io.helpstream.ops;

import io.helpstream.app.Application;
import io.helpstream.config.HttpSettings;
import io.helpstream.config.PageSettings;
import io.helpstream.conversation.MessageLimits;
import io.helpstream.desk.Desk;
import io.helpstream.desk.DeskSessions;
import io.helpstream.webchat.WebChat;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * The operations endpoint of one helpstream instance: metrics from the start, health (not ready until the
 * application is {@link #serve served} and running), with an admin token the conversations' state and the
 * human-agent desk, and when switched on the customer chat page. Started before the application is built, closed
 * after it; the pages' links to Kafka start when the application is served.
 */
public final class Operations implements AutoCloseable {

    /** The pages' scripts and style, open to anyone: they hold no data. */
    private static final Set<String> ASSETS = Set.of("helpstream.css", "desk.js", "conversation.js", "sign-in.js",
            "chat.js");

    private final Served served;
    private final DependencyChecks checks;
    private final OpsServer server;
    private final HttpSettings settings;
    private final AtomicReference<Desk> desk;
    private final AtomicReference<WebChat> chat;

    private Operations(Served served, DependencyChecks checks, OpsServer server, HttpSettings settings,
                       AtomicReference<Desk> desk, AtomicReference<WebChat> chat) {
        this.served = served;
        this.checks = checks;
        this.server = server;
        this.settings = settings;
        this.desk = desk;
        this.chat = chat;
    }

    /**
     * Listens as the settings say and serves what the instance shows.
     *
     * @param registry the application's registry: served at {@code /metrics} when it is a Prometheus one
     */
    public static Operations start(HttpSettings settings, MeterRegistry registry) {
        Objects.requireNonNull(registry, "registry");
        Served served = new Served();
        DependencyChecks checks = new DependencyChecks(settings.checkTimeout());
        AtomicReference<Desk> desk = new AtomicReference<>();
        AtomicReference<WebChat> chat = new AtomicReference<>();
        Pages pages = new Pages();
        PageSettings pageSettings = settings.pages();
        Supplier<Integer> maxTextBytes = () -> served.current()
                .map(app -> app.config().conversations().messageLimits().maxTextBytes())
                .orElse(MessageLimits.DEFAULT_MAX_TEXT_BYTES);
        List<OpsServer.Endpoints> groups = new ArrayList<>();
        if (registry instanceof PrometheusMeterRegistry prometheus) {
            groups.add(new MetricsEndpoint(prometheus));
        }
        groups.add(new HealthEndpoints(served, checks));
        // Customer data: only behind a token, and not at all without one.
        settings.adminToken().ifPresent(token -> {
            ConversationEndpoint conversations = new ConversationEndpoint(served, token, settings);
            groups.add(conversations);
            DeskSessions sessions = new DeskSessions(pageSettings.deskMaxSessions(),
                    pageSettings.deskSessionLifetime(), Clock.systemUTC());
            EventStream streams = new EventStream("desk", pageSettings.deskMaxStreams());
            Gauge.builder("helpstream.desk.sessions", sessions, DeskSessions::size)
                    .description("agents signed in to this instance's desk").register(registry);
            Gauge.builder("helpstream.pages.streams", streams, EventStream::open).tag("page", "desk")
                    .description("pages streaming events from this instance").register(registry);
            Gauge.builder("helpstream.desk.handoffs", desk, ref -> ref.get() == null ? 0
                            : ref.get().view().cases().size())
                    .description("open handoffs in this instance's desk view").register(registry);
            groups.add(new DeskEndpoints(token, sessions, () -> Optional.ofNullable(desk.get()),
                    conversations, streams, maxTextBytes, pages, registry));
        });
        if (pageSettings.chatPage()) {
            EventStream streams = new EventStream("chat", pageSettings.chatMaxStreams());
            Gauge.builder("helpstream.pages.streams", streams, EventStream::open).tag("page", "chat")
                    .description("pages streaming events from this instance").register(registry);
            groups.add(new ChatEndpoints(() -> Optional.ofNullable(chat.get()), streams, maxTextBytes, pages));
        }
        if (settings.adminToken().isPresent() || pageSettings.chatPage()) {
            groups.add(routes -> routes.get("/assets/{file}", ctx -> {
                String file = ctx.pathParam("file");
                if (ASSETS.contains(file)) {
                    pages.serve(ctx, file);
                } else {
                    ctx.status(404);
                }
            }));
        }
        try {
            return new Operations(served, checks, OpsServer.start(settings, groups), settings, desk, chat);
        } catch (RuntimeException e) {
            checks.close();
            throw e;
        }
    }

    /** From now on the endpoints show this application, and the pages reach its Kafka cluster. */
    public void serve(Application app) {
        served.attach(app);
        if (settings.adminToken().isPresent() && desk.get() == null) {
            desk.set(Desk.start(app.bootstrapServers(), app.config().topics(), settings.pages()));
        }
        if (settings.pages().chatPage() && chat.get() == null) {
            chat.set(WebChat.start(app.bootstrapServers(), app.config().topics(), settings.pages()));
        }
    }

    public URI address() {
        return server.address();
    }

    public int port() {
        return server.port();
    }

    /** Where the desk is, when it is on (with an admin token). */
    public Optional<URI> deskAddress() {
        return settings.adminToken().map(token -> server.address().resolve("/desk"));
    }

    /** Where the customer chat page is, when it is on. */
    public Optional<URI> chatAddress() {
        return settings.pages().chatPage() ? Optional.of(server.address().resolve("/chat")) : Optional.empty();
    }

    @Override
    public void close() {
        server.close();
        Optional.ofNullable(chat.getAndSet(null)).ifPresent(WebChat::close);
        Optional.ofNullable(desk.getAndSet(null)).ifPresent(Desk::close);
        checks.close();
    }
}
