package io.helpstream.ops;

import io.helpstream.app.Application;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.streams.KafkaStreams.State;

/**
 * {@code GET /health/live} and {@code GET /health/ready}, each 200 or 503 with a JSON body that says why.
 *
 * <ul>
 *   <li>Live while no stream thread is dead and the application is neither in ERROR nor shutting down (after too
 *       many thread failures it shuts itself down): an orchestrator restarts an instance that is not.</li>
 *   <li>Ready when Kafka Streams is RUNNING and PostgreSQL answers: an instance that is not gets no traffic routed
 *       to its other endpoints. Redis is reported, but does not make it unready: helpstream works without the
 *       cache.</li>
 * </ul>
 */
final class HealthEndpoints implements OpsServer.Endpoints {

    /** States in which the application has stopped processing, or is about to. */
    private static final Set<State> GIVEN_UP = Set.of(State.ERROR, State.PENDING_ERROR, State.PENDING_SHUTDOWN,
            State.NOT_RUNNING);
    private static final Set<String> DEAD_THREAD = Set.of("DEAD", "PENDING_SHUTDOWN");

    private final Served served;
    private final DependencyChecks checks;

    HealthEndpoints(Served served, DependencyChecks checks) {
        this.served = Objects.requireNonNull(served, "served");
        this.checks = Objects.requireNonNull(checks, "checks");
    }

    /** A health answer: overall status, the state of Kafka Streams, and each check by name. */
    record Answer(Check.Status status, String kafkaStreams, Map<String, Object> checks) {
    }

    @Override
    public void addTo(RoutesConfig routes) {
        routes.get("/health/live", ctx -> answer(ctx, live()));
        routes.get("/health/ready", ctx -> answer(ctx, ready()));
    }

    Answer live() {
        Optional<Application> app = served.current();
        if (app.isEmpty()) {
            return new Answer(Check.Status.UP, "STARTING", Map.of());
        }
        State state = app.get().state();
        Map<String, Object> threads = new LinkedHashMap<>();
        boolean alive = !GIVEN_UP.contains(state);
        for (Map.Entry<String, String> thread : threads(app.get()).entrySet()) {
            boolean dead = DEAD_THREAD.contains(thread.getValue());
            alive &= !dead;
            threads.put(thread.getKey(), dead ? Check.down(thread.getValue()) : Check.up(thread.getValue()));
        }
        return new Answer(alive ? Check.Status.UP : Check.Status.DOWN, state.name(), threads);
    }

    Answer ready() {
        Optional<Application> app = served.current();
        if (app.isEmpty()) {
            return new Answer(Check.Status.DOWN, "STARTING",
                    Map.of("kafkaStreams", Check.down("the application is starting")));
        }
        State state = app.get().state();
        Map<String, Object> found = new LinkedHashMap<>();
        Check streams = state == State.RUNNING ? Check.up("RUNNING") : Check.down("state " + state);
        found.put("kafkaStreams", streams);
        Check postgres = checks.database(app.get());
        found.put("postgres", postgres);
        checks.redis(app.get()).ifPresent(redis -> found.put("redis", redis.ok() ? redis
                : Check.down(redis.detail() + " (reported only: helpstream answers without the cache)")));
        boolean ready = streams.ok() && postgres.ok();
        return new Answer(ready ? Check.Status.UP : Check.Status.DOWN, state.name(), found);
    }

    private static Map<String, String> threads(Application app) {
        Map<String, String> states = new LinkedHashMap<>();
        try {
            app.streams().metadataForLocalThreads().forEach(thread -> states.put(thread.threadName(),
                    thread.threadState()));
        } catch (RuntimeException e) {
            // Closed, or not started: the client's own state says so.
        }
        return states;
    }

    private static void answer(Context ctx, Answer answer) {
        ctx.status(answer.status() == Check.Status.UP ? 200 : 503).json(answer);
    }
}
