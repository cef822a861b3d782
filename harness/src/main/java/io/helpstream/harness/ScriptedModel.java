package io.helpstream.harness;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An OpenAI-compatible chat-completions server on this machine that answers as {@link SupportScript} decides, each
 * call after a delay drawn between {@code min} and {@code max}, like a remote model. It remembers every request it was
 * asked, to answer a repeated one as a model at a temperature above 0 would, and counts calls per customer message
 * (found by the message id in the turn's text) for the model-call check.
 */
final class ScriptedModel implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern USER_TAG = Pattern.compile("\\S+-c\\d+-m\\d+");

    private final HttpServer server;
    private final long minMillis;
    private final long maxMillis;
    private final Map<String, AtomicInteger> asked = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> callsByMessage = new ConcurrentHashMap<>();
    private final AtomicLong calls = new AtomicLong();
    private final AtomicLong askedAgain = new AtomicLong();

    ScriptedModel(Duration min, Duration max) {
        this.minMillis = min.toMillis();
        this.maxMillis = max.toMillis();
        if (minMillis < 0 || maxMillis < minMillis) {
            throw new IllegalArgumentException("need 0 <= min <= max, got " + min + " and " + max);
        }
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the scripted model", e);
        }
        server.setExecutor(Executors.newCachedThreadPool(runnable -> {
            Thread thread = new Thread(runnable, "chaos-model");
            thread.setDaemon(true);
            return thread;
        }));
        server.createContext("/v1/chat/completions", this::chat);
        server.createContext("/v1/models", this::models);
        server.start();
    }

    /** What the processors are given as {@code OPENAI_BASE_URL}. */
    String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
    }

    long calls() {
        return calls.get();
    }

    /** Calls that repeated a request asked before: the model may have decided differently. */
    long askedAgain() {
        return askedAgain.get();
    }

    /** Calls made for the customer message with this id. */
    int callsFor(String messageId) {
        AtomicInteger count = callsByMessage.get(messageId);
        return count == null ? 0 : count.get();
    }

    private void chat(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] raw = exchange.getRequestBody().readAllBytes();
            JsonNode request = JSON.readTree(raw);
            calls.incrementAndGet();
            lastUserTag(request).ifPresent(tag -> callsByMessage.computeIfAbsent(tag, id -> new AtomicInteger())
                    .incrementAndGet());
            int before = asked.computeIfAbsent(request.path("messages").toString(), key -> new AtomicInteger())
                    .getAndIncrement();
            if (before > 0) {
                askedAgain.incrementAndGet();
            }
            SupportScript.Answer answer = SupportScript.answer(request, before);
            Thread.sleep(ThreadLocalRandom.current().nextLong(minMillis, maxMillis + 1));
            send(exchange, 200, answer.body());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            send(exchange, 500, "{\"error\":{\"message\":\"" + e.getClass().getSimpleName() + "\"}}");
        }
    }

    private void models(HttpExchange exchange) throws IOException {
        try (exchange) {
            send(exchange, 200, "{\"object\":\"list\",\"data\":[{\"id\":\"" + SupportScript.MODEL
                    + "\",\"object\":\"model\"}]}");
        }
    }

    private static java.util.Optional<String> lastUserTag(JsonNode request) {
        String text = null;
        for (JsonNode message : request.path("messages")) {
            if (message.path("role").asText().equals("user")) {
                text = message.path("content").isArray() ? message.path("content").toString()
                        : message.path("content").asText("");
            }
        }
        if (text == null) {
            return java.util.Optional.empty();
        }
        Matcher tag = USER_TAG.matcher(text);
        return tag.find() ? java.util.Optional.of(tag.group()) : java.util.Optional.empty();
    }

    private static void send(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        try {
            exchange.sendResponseHeaders(status, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        } catch (IOException clientGone) {
            // The processor died or gave up waiting; nobody is left to answer.
        }
    }

    @Override
    public void close() {
        server.stop(0);
        ((ExecutorService) server.getExecutor()).shutdownNow();
    }
}
