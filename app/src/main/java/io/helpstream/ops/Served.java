package io.helpstream.ops;

import io.helpstream.app.Application;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The application the endpoints show. The server starts before the application is built, so that an orchestrator
 * can ask whether it is alive and ready from the first moment: until then there is none, and it is not ready.
 */
public final class Served {

    private final AtomicReference<Application> application = new AtomicReference<>();

    public Optional<Application> current() {
        return Optional.ofNullable(application.get());
    }

    public void attach(Application app) {
        application.set(Objects.requireNonNull(app, "app"));
    }
}
