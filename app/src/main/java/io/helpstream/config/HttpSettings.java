package io.helpstream.config;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * The operations endpoint: where it listens, how other instances reach it, who may read conversations, and how long
 * its checks and forwarded requests may take.
 *
 * @param port           the port to listen on; empty: no endpoint; 0: any free port (the commands that run
 *                       helpstream on a workstation, and tests)
 * @param bind           the address to listen on
 * @param advertisedUrl  how the other instances of the application reach this one (its {@code application.server});
 *                       empty: a request for a conversation another instance owns cannot be forwarded
 * @param adminToken     the bearer token of the conversation endpoint; empty: that endpoint is off
 * @param checkTimeout   longest a readiness check of PostgreSQL or Redis may take
 * @param forwardTimeout longest a request forwarded to the owning instance may take
 * @param pages          the desk (on with the admin token) and the customer chat page, and their bounds
 */
public record HttpSettings(Optional<Integer> port, String bind, Optional<URI> advertisedUrl,
                           Optional<AdminToken> adminToken, Duration checkTimeout, Duration forwardTimeout,
                           PageSettings pages) {

    public static final int DEFAULT_PORT = 8080;
    /** Every interface: Prometheus and the orchestrator's probes come from outside the container. */
    public static final String DEFAULT_BIND = "0.0.0.0";
    /** Where the commands run for a person at a terminal listen when nothing else is configured. */
    public static final String LOCAL_BIND = "127.0.0.1";
    public static final Duration DEFAULT_CHECK_TIMEOUT = Duration.ofSeconds(2);
    public static final Duration DEFAULT_FORWARD_TIMEOUT = Duration.ofSeconds(5);

    public HttpSettings {
        Objects.requireNonNull(port, "port");
        port.ifPresent(p -> {
            if (p < 0 || p > 65_535) {
                throw new IllegalArgumentException("port must be 0 to 65535, was " + p);
            }
        });
        Objects.requireNonNull(bind, "bind");
        Objects.requireNonNull(advertisedUrl, "advertisedUrl");
        Objects.requireNonNull(adminToken, "adminToken");
        Objects.requireNonNull(checkTimeout, "checkTimeout");
        Objects.requireNonNull(forwardTimeout, "forwardTimeout");
        Objects.requireNonNull(pages, "pages");
    }

    public static HttpSettings defaults() {
        return new HttpSettings(Optional.of(DEFAULT_PORT), DEFAULT_BIND, Optional.empty(), Optional.empty(),
                DEFAULT_CHECK_TIMEOUT, DEFAULT_FORWARD_TIMEOUT,
                PageSettings.defaults());
    }

    public boolean enabled() {
        return port.isPresent();
    }

    /** The same settings on any free port of {@code address}. */
    public HttpSettings onAnyFreePort(String address) {
        return new HttpSettings(Optional.of(0), address, advertisedUrl, adminToken, checkTimeout, forwardTimeout,
                pages);
    }

    /** The same settings, advertising {@code url} to the other instances. */
    public HttpSettings advertising(URI url) {
        return new HttpSettings(port, bind, Optional.of(url), adminToken, checkTimeout, forwardTimeout, pages);
    }

    /** The same settings with the conversation endpoint behind {@code token}. */
    public HttpSettings withAdminToken(AdminToken token) {
        return new HttpSettings(port, bind, advertisedUrl, Optional.of(token), checkTimeout, forwardTimeout,
                pages);
    }

    /** The same settings with the customer chat page on (the demo). */
    public HttpSettings withChatPage() {
        return new HttpSettings(port, bind, advertisedUrl, adminToken, checkTimeout, forwardTimeout,
                pages.withChatPage());
    }

    /** {@code host:port} of the advertised URL, as Kafka Streams' {@code application.server} takes it. */
    public Optional<String> applicationServer() {
        return advertisedUrl.map(url -> url.getHost() + ":" + portOf(url));
    }

    /** The port of a URL, or its scheme's default. */
    public static int portOf(URI url) {
        return url.getPort() >= 0 ? url.getPort() : "https".equalsIgnoreCase(url.getScheme()) ? 443 : 80;
    }
}
