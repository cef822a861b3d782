package io.helpstream.cli;

import io.helpstream.app.Application;
import io.helpstream.app.LocalStateWipedException;
import io.helpstream.app.Metrics;
import io.helpstream.config.Env;
import io.helpstream.config.HelpstreamConfig;
import io.helpstream.config.HttpSettings;
import io.helpstream.ops.Operations;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * helpstream as the commands run it: the operations endpoint first (so that it answers "not ready" while the rest
 * starts), then the application, served by it once built. Closing stops the application, then the endpoint.
 */
final class Instance implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Instance.class);

    private final Application app;
    private final Operations operations;

    private Instance(Application app, Operations operations) {
        this.app = app;
        this.operations = operations;
    }

    /** The configured instance, its endpoint where {@code HELPSTREAM_HTTP_PORT} says. */
    static Instance start(HelpstreamConfig config) {
        PrometheusMeterRegistry registry = Metrics.prometheus();
        Operations operations = config.http().enabled() ? Operations.start(config.http(), registry) : null;
        try {
            try {
                return new Instance(started(config, registry, operations), operations);
            } catch (LocalStateWipedException e) {
                // Once: local state that cannot be opened is deleted, and the stores are restored from the changelogs.
                log.warn("{}; starting again", e.getMessage());
                return new Instance(started(config, registry, operations), operations);
            }
        } catch (RuntimeException e) {
            if (operations != null) {
                operations.close();
            }
            throw e;
        }
    }

    private static Application started(HelpstreamConfig config, PrometheusMeterRegistry registry,
                                       Operations operations) {
        Application app = Application.builder(config).registry(registry).build();
        if (operations != null) {
            operations.serve(app);
        }
        return app.start();
    }

    /**
     * The configuration for a command run at a workstation (demo, chat): unless {@code HELPSTREAM_HTTP_PORT} or
     * {@code HELPSTREAM_HTTP_BIND} say otherwise, the endpoint listens on a free port of 127.0.0.1, so that it takes
     * no port another program may need and is not reachable from the network.
     */
    static HelpstreamConfig atWorkstation(HelpstreamConfig config, Env env) {
        if (env.string("HELPSTREAM_HTTP_PORT").isPresent()) {
            return config;
        }
        String bind = env.string("HELPSTREAM_HTTP_BIND").orElse(HttpSettings.LOCAL_BIND);
        return config.withHttp(config.http().onAnyFreePort(bind));
    }

    Application app() {
        return app;
    }

    /** Where the endpoint answers, e.g. {@code http://127.0.0.1:8080}; empty when it is off. */
    Optional<String> address() {
        return Optional.ofNullable(operations).map(ops -> ops.address().toString());
    }

    /** Where the human-agent desk is, when it is on (an admin token is set). */
    Optional<String> deskAddress() {
        return Optional.ofNullable(operations).flatMap(Operations::deskAddress).map(Object::toString);
    }

    /** Where the customer chat page is, when it is on. */
    Optional<String> chatAddress() {
        return Optional.ofNullable(operations).flatMap(Operations::chatAddress).map(Object::toString);
    }

    @Override
    public void close() {
        app.close();
        if (operations != null) {
            operations.close();
        }
    }
}
