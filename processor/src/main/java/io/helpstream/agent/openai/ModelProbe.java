package io.helpstream.agent.openai;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One cheap request at start-up ({@code GET <base>/models}) so a wrong key or URL shows in the log before the first
 * customer waits for it. It never stops start-up: a server that is down now may be up by the first turn, and turns
 * fall back to the offline model meanwhile.
 */
public final class ModelProbe {

    /** The result of the check, for callers and tests. */
    public enum Result { OK, MODEL_NOT_LISTED, REJECTED_KEY, NO_MODEL_LIST, UNREACHABLE, FAILED }

    private static final Logger log = LoggerFactory.getLogger(ModelProbe.class);
    private static final Duration LONGEST_WAIT = Duration.ofSeconds(5);

    private ModelProbe() {
    }

    public static Result check(String baseUrl, String apiKey, String modelName, Duration timeout) {
        Objects.requireNonNull(baseUrl, "baseUrl");
        Objects.requireNonNull(apiKey, "apiKey");
        Objects.requireNonNull(modelName, "modelName");
        Duration wait = timeout.compareTo(LONGEST_WAIT) < 0 ? timeout : LONGEST_WAIT;
        URI models = URI.create(baseUrl.endsWith("/") ? baseUrl + "models" : baseUrl + "/models");
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(wait).build();
        HttpRequest request = HttpRequest.newBuilder(models).timeout(wait)
                .header("Authorization", "Bearer " + apiKey).GET().build();
        try {
            HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
            return judge(response.statusCode(), response.body(), models, modelName);
        } catch (IOException e) {
            log.warn("The model server at {} did not answer at start-up ({}); turns are answered by the offline "
                    + "model until it does", baseUrl, e.toString());
            return Result.UNREACHABLE;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Result.FAILED;
        }
    }

    private static Result judge(int status, String body, URI models, String modelName) {
        if (status == 401 || status == 403) {
            log.error("The model server at {} refused the credentials (HTTP {}): check OPENAI_API_KEY; turns are "
                    + "answered by the offline model until it accepts them", models, status);
            return Result.REJECTED_KEY;
        }
        if (status == 404 || status == 405) {
            log.info("The model server offers no model list at {} (HTTP {}); not checked further", models, status);
            return Result.NO_MODEL_LIST;
        }
        if (status < 200 || status >= 300) {
            log.warn("The model server answered HTTP {} to {} at start-up", status, models);
            return Result.FAILED;
        }
        if (body == null || !body.contains('"' + modelName + '"')) {
            log.warn("The model server at {} does not list model '{}': check OPENAI_MODEL", models, modelName);
            return Result.MODEL_NOT_LISTED;
        }
        log.info("The model server at {} offers model '{}'", models, modelName);
        return Result.OK;
    }
}
