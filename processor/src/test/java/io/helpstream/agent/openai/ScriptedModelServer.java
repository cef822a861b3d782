package io.helpstream.agent.openai;

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
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.function.Function;

/**
 * An OpenAI-compatible chat-completions server on 127.0.0.1 for tests: {@code POST /v1/chat/completions} answers
 * with the next scripted response (else the default responder), {@code GET /v1/models} lists {@link #MODEL}. Every
 * request is recorded.
 */
public final class ScriptedModelServer implements AutoCloseable {

    public static final String MODEL = "scripted-model";
    public static final String API_KEY = "sk-test-key";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A chat-completions request as received. */
    public record Received(String authorization, JsonNode body) {

        public JsonNode messages() {
            return body.get("messages");
        }

        public JsonNode tools() {
            return body.get("tools");
        }

        /** The text of the last message with the given role. */
        public String lastText(String role) {
            String text = null;
            for (JsonNode message : messages()) {
                if (role.equals(message.path("role").asText()) && message.hasNonNull("content")) {
                    text = message.get("content").asText();
                }
            }
            return text;
        }
    }

    private final HttpServer server;
    private final Queue<ScriptedResponse> script = new ConcurrentLinkedQueue<>();
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private volatile Function<Received, ScriptedResponse> otherwise =
            request -> ScriptedResponse.text("Scripted answer.");
    private volatile ScriptedResponse models;

    private ScriptedModelServer(int port) throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
        server.setExecutor(Executors.newCachedThreadPool(runnable -> {
            Thread thread = new Thread(runnable, "scripted-model-server");
            thread.setDaemon(true);
            return thread;
        }));
        server.createContext("/v1/chat/completions", this::chat);
        server.createContext("/v1/models", this::models);
        server.start();
    }

    public static ScriptedModelServer start() {
        return startOn(0);
    }

    /** On a given port, e.g. again on the port of a server that was stopped. */
    public static ScriptedModelServer startOn(int port) {
        try {
            return new ScriptedModelServer(port);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the scripted model server", e);
        }
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + port() + "/v1";
    }

    /** Answers the next chat requests with these, in order. */
    public ScriptedModelServer enqueue(ScriptedResponse... responses) {
        script.addAll(List.of(responses));
        return this;
    }

    /** How requests are answered once the script is used up. */
    public ScriptedModelServer otherwise(Function<Received, ScriptedResponse> responder) {
        this.otherwise = responder;
        return this;
    }

    /** Answers {@code GET /v1/models} with this instead of the model list. */
    public ScriptedModelServer modelsAnswer(ScriptedResponse response) {
        this.models = response;
        return this;
    }

    public List<Received> received() {
        return List.copyOf(received);
    }

    public void clearReceived() {
        received.clear();
    }

    private void chat(HttpExchange exchange) throws IOException {
        try (exchange) {
            JsonNode body = JSON.readTree(exchange.getRequestBody().readAllBytes());
            Received request = new Received(exchange.getRequestHeaders().getFirst("Authorization"), body);
            received.add(request);
            ScriptedResponse next = script.poll();
            answer(exchange, next != null ? next : otherwise.apply(request));
        }
    }

    private void models(HttpExchange exchange) throws IOException {
        try (exchange) {
            ScriptedResponse answer = models;
            if (answer == null) {
                String list = "{\"object\":\"list\",\"data\":[{\"id\":\"" + MODEL + "\",\"object\":\"model\"}]}";
                answer = new ScriptedResponse(200, java.util.Map.of("Content-Type", "application/json"),
                        java.time.Duration.ZERO, list);
            }
            answer(exchange, answer);
        }
    }

    private static void answer(HttpExchange exchange, ScriptedResponse response) throws IOException {
        if (!response.delay().isZero()) {
            try {
                Thread.sleep(response.delay().toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        response.headers().forEach((name, value) -> exchange.getResponseHeaders().add(name, value));
        byte[] bytes = response.body().getBytes(StandardCharsets.UTF_8);
        try {
            exchange.sendResponseHeaders(response.status(), bytes.length == 0 ? -1 : bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        } catch (IOException clientGone) {
            // The client timed out and closed the connection; nothing left to answer.
        }
    }

    @Override
    public void close() {
        server.stop(0);
        ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
    }

    /** Texts of all messages of all received requests, for assertions on what the model was told. */
    public List<String> allMessageTexts() {
        List<String> texts = new ArrayList<>();
        for (Received request : received) {
            for (JsonNode message : request.messages()) {
                texts.add(message.path("role").asText() + ": " + message.path("content").asText(""));
            }
        }
        return texts;
    }
}
