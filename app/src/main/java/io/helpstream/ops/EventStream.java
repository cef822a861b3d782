package io.helpstream.ops;

import io.javalin.http.Context;
import io.javalin.http.sse.SseClient;
import io.javalin.http.sse.SseHandler;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Server-sent events for one kind of page, at most {@code max} streams at once (one more is answered 503, and the
 * browser's EventSource tries again). Each stream queues what it is told and writes it on its own request thread, so
 * a slow browser never holds up the feed that tells it; one that falls {@link #QUEUE} events behind is closed (its
 * EventSource reconnects and the page reloads what it shows). A comment every {@link #HEARTBEAT_SECONDS} seconds
 * finds closed connections and keeps proxies from timing the stream out.
 */
final class EventStream {

    /** One event: its SSE name and its data (JSON). */
    record Event(String name, String data) {
    }

    private static final Logger log = LoggerFactory.getLogger(EventStream.class);
    static final int QUEUE = 256;
    static final int HEARTBEAT_SECONDS = 10;

    private final String what;
    private final int max;
    private final AtomicInteger open = new AtomicInteger();

    EventStream(String what, int max) {
        this.what = what;
        this.max = max;
    }

    /**
     * Streams to {@code ctx} what {@code subscribe} hands the sink it is given, until the browser goes away; the
     * handle {@code subscribe} returns is closed then.
     */
    void serve(Context ctx, Function<Consumer<Event>, AutoCloseable> subscribe) throws Exception {
        if (open.incrementAndGet() > max) {
            open.decrementAndGet();
            ctx.header("Retry-After", "5").status(503).json(Map.of("error", "too many " + what + " streams open"));
            return;
        }
        boolean handed = false;
        try {
            new SseHandler(client -> {
                try {
                    run(client, subscribe);
                } finally {
                    open.decrementAndGet();
                }
            }).handle(ctx);
            handed = true;
        } finally {
            if (!handed) {
                open.decrementAndGet();
            }
        }
    }

    private void run(SseClient client, Function<Consumer<Event>, AutoCloseable> subscribe) {
        BlockingQueue<Event> queue = new ArrayBlockingQueue<>(QUEUE);
        AtomicBoolean behind = new AtomicBoolean();
        try (AutoCloseable subscription = subscribe.apply(event -> {
            if (!queue.offer(event)) {
                behind.set(true);
            }
        })) {
            client.sendEvent("ready", "{}");
            while (!client.terminated() && !behind.get()) {
                Event event = queue.poll(HEARTBEAT_SECONDS, TimeUnit.SECONDS);
                if (event == null) {
                    client.sendComment("keep-alive");
                } else {
                    client.sendEvent(event.name(), event.data());
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            log.debug("A {} stream ended: {}", what, e.toString());
        } finally {
            client.close();
        }
    }

    int open() {
        return open.get();
    }
}
