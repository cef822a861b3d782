package io.helpstream.ops;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.helpstream.config.HttpSettings;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * Page streams against a real HTTP server: a stream ends, once and quietly, however it ends — the browser goes away,
 * or the server stops under it.
 */
class EventStreamTest {

    private final EventStream streams = new EventStream("test", 4);
    private final List<Consumer<EventStream.Event>> sinks = new CopyOnWriteArrayList<>();
    private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
    private final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    private OpsServer server;

    @BeforeEach
    void start() {
        logs.start();
        root.addAppender(logs);
        server = OpsServer.start(HttpSettings.defaults().onAnyFreePort(HttpSettings.LOCAL_BIND),
                List.of(new Page(streams)));
    }

    @AfterEach
    void stop() {
        server.close();
        root.detachAppender(logs);
    }

    @Test
    void should_end_a_stream_once_and_quietly_when_the_server_stops_while_it_is_open() throws Exception {
        try (Socket browser = openStream()) {
            server.close();
            sinks.forEach(sink -> sink.accept(new EventStream.Event("late", "{}")));

            awaitNoOpenStream();
            Thread.sleep(500); // a loop on a recycled request would log thousands of lines by now
            assertThat(warnings()).isEmpty();
        }
    }

    @Test
    void should_end_a_stream_once_and_quietly_when_the_browser_goes_away() throws Exception {
        openStream().close();
        // A closed connection shows when a write fails: the feed goes on telling the stream until it has ended.
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (streams.open() > 0 && System.nanoTime() < deadline) {
            sinks.forEach(sink -> sink.accept(new EventStream.Event("late", "{}")));
            Thread.sleep(50);
        }

        assertThat(streams.open()).as("open streams").isZero();
        Thread.sleep(500);
        assertThat(warnings()).isEmpty();
    }

    @Test
    void should_end_open_streams_before_the_server_stops() throws Exception {
        try (Socket browser = openStream()) {
            server.close();

            assertThat(streams.open()).as("no stream waits for its next heartbeat to notice").isZero();
            assertThat(warnings()).isEmpty();
        }
    }

    @Test
    void should_refuse_a_request_that_does_not_ask_for_events_without_taking_a_stream() throws Exception {
        HttpProbe probe = new HttpProbe(server.address());
        for (int i = 0; i < 10; i++) { // more than the 4 streams allowed
            HttpProbe.Answer answer = probe.get("/events");
            assertThat(answer.status()).isEqualTo(406);
            assertThat(answer.body()).contains("text/event-stream");
        }

        assertThat(streams.open()).isZero();
        openStream().close(); // a real stream still gets one
    }

    /** A browser's EventSource: the request, then everything up to the {@code ready} event. */
    private Socket openStream() throws IOException {
        Socket socket = new Socket("127.0.0.1", server.port());
        socket.setSoTimeout(5_000);
        OutputStream out = socket.getOutputStream();
        out.write(("GET /events HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        out.flush();
        BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
        for (String line = in.readLine(); ; line = in.readLine()) {
            assertThat(line).as("the stream's first event").isNotNull();
            if (line.equals("event: ready")) {
                return socket;
            }
        }
    }

    private void awaitNoOpenStream() throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (streams.open() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(streams.open()).as("open streams").isZero();
    }

    private List<String> warnings() {
        return logs.list.stream().filter(event -> event.getLevel().isGreaterOrEqual(Level.WARN))
                .map(event -> event.getLoggerName() + ": " + event.getFormattedMessage()).toList();
    }

    /** One page's stream at {@code /events}, fed through the sinks the test keeps. */
    private final class Page implements OpsServer.Endpoints {
        private final EventStream streams;

        Page(EventStream streams) {
            this.streams = streams;
        }

        @Override
        public void close() {
            streams.close();
        }

        @Override
        public void addTo(io.javalin.config.RoutesConfig routes) {
            routes.get("/events", ctx -> streams.serve(ctx, sink -> {
                sinks.add(sink);
                return () -> sinks.remove(sink);
            }));
        }
    }
}
