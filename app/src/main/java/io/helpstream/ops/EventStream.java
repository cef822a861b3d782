package io.helpstream.ops;

import io.javalin.http.Context;
import io.javalin.http.Header;
import io.javalin.http.sse.SseClient;
import io.javalin.http.sse.SseHandler;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
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
 * finds closed connections and keeps proxies from timing the stream out. A stream ends as soon as its request does
 * (the browser went away, the server timed it out) and when the server stops ({@link #close()}, before the server
 * lets go of its requests): its loop never outlives its request.
 */
final class EventStream implements AutoCloseable {

    /** One event: its SSE name and its data (JSON). */
    record Event(String name, String data) {
    }

    private static final Logger log = LoggerFactory.getLogger(EventStream.class);
    static final int QUEUE = 256;
    static final int HEARTBEAT_SECONDS = 10;
    /** How long {@link #close()} waits for the open streams to end. */
    static final Duration CLOSE_WAIT = Duration.ofSeconds(2);
    private static final Event END = new Event("", "");

    private final String what;
    private final int max;
    private final AtomicInteger open = new AtomicInteger();
    private final Set<Running> running = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    EventStream(String what, int max) {
        this.what = what;
        this.max = max;
    }

    /**
     * Streams to {@code ctx} what {@code subscribe} hands the sink it is given, until the browser goes away; the
     * handle {@code subscribe} returns is closed then.
     */
    void serve(Context ctx, Function<Consumer<Event>, AutoCloseable> subscribe) throws Exception {
        String accept = ctx.header(Header.ACCEPT);
        if (accept == null || !accept.contains("text/event-stream")) {
            // Javalin's SseHandler ignores such a request; it must not hold one of the streams either.
            ctx.status(406).json(Map.of("error", "this is an event stream: ask for text/event-stream"));
            return;
        }
        if (closed) {
            ctx.header("Retry-After", "5").status(503).json(Map.of("error", "the server is stopping"));
            return;
        }
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
        Running stream = new Running(new ArrayBlockingQueue<>(QUEUE), new AtomicBoolean(), new AtomicBoolean());
        running.add(stream);
        try (AutoCloseable subscription = subscribe.apply(stream::offer)) {
            endWithRequest(client, stream);
            if (closed) {
                stream.end();
            }
            client.sendEvent("ready", "{}");
            while (!client.terminated() && !stream.behind().get() && !stream.over().get()) {
                Event event = stream.queue().poll(HEARTBEAT_SECONDS, TimeUnit.SECONDS);
                if (event == null) {
                    client.sendComment("keep-alive");
                } else if (event != END) {
                    client.sendEvent(event.name(), event.data());
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            log.debug("A {} stream ended: {}", what, e.toString());
        } finally {
            running.remove(stream);
            client.close();
        }
    }

    /** Ends the stream when its request ends: a closed connection is otherwise only seen at the next write. */
    private static void endWithRequest(SseClient client, Running stream) {
        try {
            client.ctx().req().getAsyncContext().addListener(new AsyncListener() {
                @Override
                public void onComplete(AsyncEvent event) {
                    stream.end();
                }

                @Override
                public void onTimeout(AsyncEvent event) {
                    stream.end();
                }

                @Override
                public void onError(AsyncEvent event) {
                    stream.end();
                }

                @Override
                public void onStartAsync(AsyncEvent event) {
                }
            });
        } catch (RuntimeException e) { // the request is gone already
            stream.end();
        }
    }

    /**
     * Ends every open stream and waits (at most {@link #CLOSE_WAIT}) until they have; a stream asked for from now on
     * is answered 503. The server calls this before it stops, so no stream writes to a request the server has let
     * go of.
     */
    @Override
    public void close() {
        closed = true;
        running.forEach(Running::end);
        long deadline = System.nanoTime() + CLOSE_WAIT.toNanos();
        while (open.get() > 0 && System.nanoTime() < deadline) {
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        if (open.get() > 0) {
            log.warn("{} {} stream(s) had not ended {} after the server began to stop", open.get(), what, CLOSE_WAIT);
        }
    }

    /** One open stream: what it has yet to send, and whether it fell behind or must end. */
    private record Running(BlockingQueue<Event> queue, AtomicBoolean behind, AtomicBoolean over) {
        void offer(Event event) {
            if (!queue.offer(event)) {
                behind.set(true);
            }
        }

        void end() {
            over.set(true);
            queue.offer(END); // wakes the loop; when the queue is full the loop is not waiting
        }
    }

    int open() {
        return open.get();
    }
}
