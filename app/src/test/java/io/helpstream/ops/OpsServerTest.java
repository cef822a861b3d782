package io.helpstream.ops;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.helpstream.config.HttpSettings;
import io.javalin.http.sse.SseHandler;
import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** The HTTP server's own behaviour, whatever its endpoints do. */
class OpsServerTest {

    private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
    private final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    private OpsServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
        root.detachAppender(logs);
    }

    @Test
    void should_answer_a_failing_request_with_500_and_the_error_hidden() throws IOException {
        server = OpsServer.start(HttpSettings.defaults().onAnyFreePort(HttpSettings.LOCAL_BIND),
                List.of(routes -> routes.get("/fails", ctx -> {
                    throw new IllegalStateException("secret detail");
                })));

        HttpProbe.Answer answer = new HttpProbe(server.address()).get("/fails");

        assertThat(answer.status()).isEqualTo(500);
        assertThat(answer.body()).contains("internal error").doesNotContain("secret detail");
    }

    @Test
    void should_let_go_once_of_a_request_the_stopping_server_ended_before_its_handler_did() throws Exception {
        CountDownLatch handlerDone = new CountDownLatch(1);
        server = OpsServer.start(HttpSettings.defaults().onAnyFreePort(HttpSettings.LOCAL_BIND),
                List.of(routes -> routes.get("/long", new SseHandler(client -> {
                    try {
                        client.sendComment("first");
                        for (int i = 0; i < 1_000 && !client.terminated(); i++) { // until a write fails
                            Thread.sleep(10);
                            client.sendComment("more");
                        }
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    } finally {
                        handlerDone.countDown();
                    }
                }))));
        try (Socket browser = new Socket("127.0.0.1", server.port())) {
            browser.getOutputStream().write("GET /long HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
            assertThat(browser.getInputStream().read()).as("the answer begins").isNotNegative();
            logs.start();
            root.addAppender(logs);
            server.close(); // Jetty lets go of the request; the handler's thread does not know yet

            assertThat(handlerDone.await(20, TimeUnit.SECONDS)).as("the handler sees the stream gone").isTrue();
            Thread.sleep(500); // Javalin finishing the ended request in a loop would have logged thousands of lines
        }

        assertThat(logs.list.stream().filter(event -> event.getLevel().isGreaterOrEqual(Level.WARN))
                .map(ILoggingEvent::getFormattedMessage).toList()).hasSizeLessThan(3);
    }
}
