package io.helpstream.agent.openai;

import dev.langchain4j.http.client.HttpClient;
import dev.langchain4j.http.client.HttpClientBuilder;
import dev.langchain4j.http.client.jdk.JdkHttpClient;
import java.time.Clock;
import java.time.Duration;

/**
 * Builds {@link ModelHttpClient}. The chat model sets both timeouts on it from its own {@code timeout(...)}, so they
 * are configured on the model builder, never here.
 */
public final class ModelHttpClientBuilder implements HttpClientBuilder {

    private Duration connectTimeout;
    private Duration readTimeout;

    @Override
    public Duration connectTimeout() {
        return connectTimeout;
    }

    @Override
    public HttpClientBuilder connectTimeout(Duration timeout) {
        this.connectTimeout = timeout;
        return this;
    }

    @Override
    public Duration readTimeout() {
        return readTimeout;
    }

    @Override
    public HttpClientBuilder readTimeout(Duration timeout) {
        this.readTimeout = timeout;
        return this;
    }

    @Override
    public HttpClient build() {
        // HTTP/1.1: the h2c upgrade the JDK would try on plain http is not understood by every local model server.
        java.net.http.HttpClient.Builder jdk = java.net.http.HttpClient.newBuilder()
                .version(java.net.http.HttpClient.Version.HTTP_1_1);
        if (connectTimeout != null) {
            jdk.connectTimeout(connectTimeout);
        }
        HttpClient stock = JdkHttpClient.builder().connectTimeout(connectTimeout).readTimeout(readTimeout).build();
        return new ModelHttpClient(jdk.build(), readTimeout, stock, Clock.systemUTC());
    }
}
