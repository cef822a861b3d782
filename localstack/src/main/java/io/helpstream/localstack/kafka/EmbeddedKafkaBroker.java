package io.helpstream.localstack.kafka;

import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.utils.Time;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real Kafka broker in this JVM: one KRaft node that is both broker and controller, listening on free ports of
 * 127.0.0.1. It serves the demo, running without a cluster, and the integration tests.
 *
 * <pre>{@code
 * try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(EmbeddedKafkaSettings.defaults())) {
 *     String bootstrap = broker.bootstrapServers();
 * }
 * }</pre>
 *
 * Settings for a single node are built in: internal topics with one replica, no initial rebalance delay, no topic
 * auto-creation. Callers that must survive a broker fault should call {@link KafkaExitGuard#preventJvmExit()}.
 */
public final class EmbeddedKafkaBroker implements KafkaBroker {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedKafkaBroker.class);
    /** Another process may take a probed port before the broker binds it; then new ports are probed. */
    private static final int BIND_ATTEMPTS = 3;
    private static final Duration READY_POLL = Duration.ofMillis(100);

    private final EmbeddedKafkaSettings settings;
    private BrokerStorage storage;
    private KafkaRaftServer server;
    private int brokerPort;
    private boolean closed;

    public EmbeddedKafkaBroker(EmbeddedKafkaSettings settings) {
        this.settings = Objects.requireNonNull(settings, "settings");
    }

    /** Creates and {@linkplain #start() starts} a broker. */
    public static EmbeddedKafkaBroker start(EmbeddedKafkaSettings settings) {
        EmbeddedKafkaBroker broker = new EmbeddedKafkaBroker(settings);
        broker.start();
        return broker;
    }

    /**
     * Formats the log directory unless it already is, starts the node and waits until it answers clients.
     *
     * @throws EmbeddedKafkaException when the node fails to start or does not answer within the startup timeout;
     *                                whatever was started is stopped again
     */
    public synchronized void start() {
        if (closed || storage != null) {
            throw new IllegalStateException("An embedded Kafka broker can be started once");
        }
        long deadline = System.nanoTime() + settings.startupTimeout().toNanos();
        storage = BrokerStorage.prepare(settings.logDirectory(), BrokerProperties.NODE_ID,
                BrokerProperties.CONTROLLER_LISTENER);
        try {
            startServer(deadline);
            awaitReady(deadline);
        } catch (RuntimeException e) {
            stop(e);
            throw e;
        }
        log.info("Embedded Kafka broker of cluster {} listening on {} with data in {}",
                storage.clusterId(), bootstrapServers(), storage.directory());
    }

    /** {@code 127.0.0.1:port} of the broker listener. */
    public synchronized String bootstrapServers() {
        requireRunning();
        return BrokerProperties.HOST + ":" + brokerPort;
    }

    public synchronized Path logDirectory() {
        requireRunning();
        return storage.directory();
    }

    public synchronized String clusterId() {
        requireRunning();
        return storage.clusterId();
    }

    /** Shuts the node down and deletes its log directory when it was a temporary one. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        stop(null);
    }

    private void startServer(long deadline) {
        for (int attempt = 1; ; attempt++) {
            int[] ports = freePorts(2);
            KafkaConfig config = KafkaConfig.fromProps(BrokerProperties.of(
                    storage.directory(), ports[0], ports[1], settings.defaultPartitions()), false);
            server = new KafkaRaftServer(config, Time.SYSTEM);
            try {
                runStartup(server, deadline);
                brokerPort = ports[0];
                return;
            } catch (EmbeddedKafkaException e) {
                if (attempt >= BIND_ATTEMPTS || !causedByBindFailure(e)) {
                    throw e;
                }
                log.warn("Kafka could not bind ports {} and {}, retrying on others", ports[0], ports[1]);
                shutdownServer();
            }
        }
    }

    /** Runs the blocking startup on its own thread so that a hung startup is bounded by the deadline. */
    private static void runStartup(KafkaRaftServer server, long deadline) {
        ExecutorService starter = Executors.newSingleThreadExecutor(runnable -> {
            Thread thread = new Thread(runnable, "embedded-kafka-startup");
            thread.setDaemon(true);
            return thread;
        });
        try {
            Future<?> startup = starter.submit(server::startup);
            startup.get(remainingNanos(deadline), TimeUnit.NANOSECONDS);
        } catch (ExecutionException e) {
            throw new EmbeddedKafkaException("Kafka broker failed to start: " + e.getCause().getMessage(),
                    e.getCause());
        } catch (TimeoutException e) {
            throw new EmbeddedKafkaException("Kafka broker did not start within the startup timeout", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EmbeddedKafkaException("Interrupted while starting the Kafka broker", e);
        } finally {
            starter.shutdownNow();
        }
    }

    private void awaitReady(long deadline) {
        String bootstrap = BrokerProperties.HOST + ":" + brokerPort;
        Map<String, Object> adminConfig = Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 2_000,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 5_000);
        Exception last = null;
        try (Admin admin = Admin.create(adminConfig)) {
            while (remainingNanos(deadline) > 0) {
                try {
                    if (!admin.describeCluster().nodes().get(remainingNanos(deadline), TimeUnit.NANOSECONDS)
                            .isEmpty()) {
                        return;
                    }
                } catch (ExecutionException | TimeoutException e) {
                    last = e;
                }
                Thread.sleep(READY_POLL.toMillis());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EmbeddedKafkaException("Interrupted while waiting for the Kafka broker on " + bootstrap, e);
        }
        throw new EmbeddedKafkaException("Kafka broker on " + bootstrap + " did not answer within "
                + settings.startupTimeout(), last);
    }

    private void requireRunning() {
        if (closed || server == null || brokerPort == 0) {
            throw new IllegalStateException("The embedded Kafka broker is not running");
        }
    }

    /** Stops the server and releases the storage; failures are added to {@code primary} when there is one. */
    private void stop(RuntimeException primary) {
        closed = true;
        RuntimeException failure = primary;
        try {
            shutdownServer();
        } catch (RuntimeException e) {
            failure = chain(failure, e);
        }
        try {
            if (storage != null) {
                storage.close();
            }
        } catch (RuntimeException e) {
            failure = chain(failure, e);
        }
        if (primary == null && failure != null) {
            throw failure;
        }
    }

    private void shutdownServer() {
        if (server != null) {
            KafkaRaftServer stopping = server;
            server = null;
            stopping.shutdown();
            stopping.awaitShutdown();
        }
    }

    private static RuntimeException chain(RuntimeException first, RuntimeException next) {
        if (first == null) {
            return next;
        }
        first.addSuppressed(next);
        return first;
    }

    private static boolean causedByBindFailure(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof BindException) {
                return true;
            }
        }
        return false;
    }

    /** Ports that were free a moment ago; all probed at once so that they differ. */
    private static int[] freePorts(int count) {
        ServerSocket[] sockets = new ServerSocket[count];
        try {
            int[] ports = new int[count];
            for (int i = 0; i < count; i++) {
                sockets[i] = new ServerSocket(0, 0, InetAddress.getByName(BrokerProperties.HOST));
                ports[i] = sockets[i].getLocalPort();
            }
            return ports;
        } catch (IOException e) {
            throw new EmbeddedKafkaException("Cannot find a free port on " + BrokerProperties.HOST, e);
        } finally {
            for (ServerSocket socket : sockets) {
                closeProbe(socket);
            }
        }
    }

    private static void closeProbe(ServerSocket socket) {
        if (socket == null) {
            return;
        }
        try {
            socket.close();
        } catch (IOException e) {
            log.debug("Closing a port probe failed", e);
        }
    }

    private static long remainingNanos(long deadline) {
        return Math.max(0, deadline - System.nanoTime());
    }
}
