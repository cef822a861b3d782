package io.helpstream.ops;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.helpstream.config.HttpSettings;
import io.helpstream.protection.Redaction;
import io.javalin.Javalin;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.json.JavalinJackson;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * helpstream's HTTP server (Javalin on Jetty), made of groups of endpoints, each a small class of its own: metrics,
 * health, conversations, and whatever comes later (pages, server-sent events). It only serves; what it shows comes
 * from the groups.
 */
public final class OpsServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(OpsServer.class);

    /** One group of endpoints, added to the server's routes when it starts. */
    public interface Endpoints {
        void addTo(RoutesConfig routes);

        /** Ends what the group's requests still do (e.g. open event streams); called before the server stops. */
        default void close() {
        }
    }

    /** JSON as every endpoint writes it: ISO-8601 times, fields in declaration order. */
    static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

    private final Javalin javalin;
    private final String host;
    private final List<Endpoints> groups;

    private OpsServer(Javalin javalin, String host, List<? extends Endpoints> groups) {
        this.javalin = javalin;
        this.host = host;
        this.groups = List.copyOf(groups);
    }

    /**
     * Listens on the settings' address and port (0: any free one) and serves the groups.
     *
     * @throws IllegalStateException when the port cannot be bound (e.g. in use), naming it
     */
    public static OpsServer start(HttpSettings settings, List<? extends Endpoints> groups) {
        Objects.requireNonNull(settings, "settings");
        int port = settings.port().orElseThrow(() -> new IllegalArgumentException("the HTTP endpoint is off"));
        Javalin javalin = Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.startup.showOldJavalinVersionWarning = false;
            config.jsonMapper(new JavalinJackson(JSON, false));
            config.jetty.host = settings.bind();
            config.jetty.port = port;
            groups.forEach(group -> group.addTo(config.routes));
            config.routes.exception(Exception.class, OpsServer::failed);
        });
        try {
            javalin.start();
        } catch (RuntimeException e) {
            javalin.stop();
            throw new IllegalStateException("cannot listen on " + settings.bind() + ":" + port
                    + " (HELPSTREAM_HTTP_PORT, HELPSTREAM_HTTP_BIND): " + e.getMessage(), e);
        }
        String host = settings.bind().equals("0.0.0.0") || settings.bind().equals("::") ? "127.0.0.1"
                : settings.bind();
        OpsServer server = new OpsServer(javalin, host, groups);
        log.info("HTTP endpoint at {}", server.address());
        return server;
    }

    /**
     * Answers 500 for a request whose handler threw. It never throws itself: Javalin hands an exception thrown here
     * back to the same handler, so a request that has already ended (an event stream whose browser went away, its
     * request recycled by Jetty) would otherwise fail here again and again, on a thread of its own, for ever.
     */
    private static void failed(Exception e, Context ctx) {
        try {
            log.warn("{} {} failed: {}", ctx.method(), ctx.path(), Redaction.describe(e));
            log.debug("{} {} failed", ctx.method(), ctx.path(), e);
            ctx.status(500).json(Map.of("error", "internal error"));
        } catch (RuntimeException gone) {
            log.debug("A request had ended before its failure could be answered: {}; {}", e.toString(),
                    gone.toString());
        }
    }

    public int port() {
        return javalin.port();
    }

    /** Where this machine reaches the server, e.g. {@code http://127.0.0.1:8080}. */
    public URI address() {
        return URI.create("http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port());
    }

    @Override
    public void close() {
        for (Endpoints group : groups) {
            try {
                group.close();
            } catch (RuntimeException e) {
                log.warn("Closing a group of endpoints failed: {}", Redaction.describe(e));
            }
        }
        javalin.stop();
    }
}
