package io.helpstream.ops;

import io.helpstream.app.Application;
import io.helpstream.config.HttpSettings;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The operations endpoint of one helpstream instance: metrics from the start, health (not ready until the
 * application is {@link #serve served} and running), and with an admin token the conversations' state. Started
 * before the application is built, closed after it.
 */
public final class Operations implements AutoCloseable {

    private final Served served;
    private final DependencyChecks checks;
    private final OpsServer server;

    private Operations(Served served, DependencyChecks checks, OpsServer server) {
        this.served = served;
        this.checks = checks;
        this.server = server;
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
        List<OpsServer.Endpoints> groups = new ArrayList<>();
        if (registry instanceof PrometheusMeterRegistry prometheus) {
            groups.add(new MetricsEndpoint(prometheus));
        }
        groups.add(new HealthEndpoints(served, checks));
        // Customer data: only behind a token, and not at all without one.
        settings.adminToken().ifPresent(token -> groups.add(new ConversationEndpoint(served, token, settings)));
        try {
            return new Operations(served, checks, OpsServer.start(settings, groups));
        } catch (RuntimeException e) {
            checks.close();
            throw e;
        }
    }

    /** From now on the endpoints show this application. */
    public void serve(Application app) {
        served.attach(app);
    }

    public URI address() {
        return server.address();
    }

    public int port() {
        return server.port();
    }

    @Override
    public void close() {
        server.close();
        checks.close();
    }
}
