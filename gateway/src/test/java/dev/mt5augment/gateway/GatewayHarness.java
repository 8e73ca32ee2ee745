package dev.mt5augment.gateway;

import dev.mt5augment.client.AugmentClient;
import dev.mt5augment.client.InFlightPolicy;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** A gateway on a free port over a real broker, with an HTTP client to talk to it. */
final class GatewayHarness implements AutoCloseable {

    final AugmentClient client;
    final GatewayServer server;
    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    GatewayHarness(String bootstrap, String requests, String results, Duration timeout, int maxInFlight) throws IOException {
        client = AugmentClient.builder().bootstrapServers(bootstrap).requestTopic(requests).replyTopic(results)
                .timeout(timeout).maxInFlight(maxInFlight).inFlightPolicy(InFlightPolicy.FAIL_FAST).build();
        server = GatewayServer.start(GatewaySettings.defaults().withPort(0).withTimeout(timeout), client);
    }

    URI uri(String path) {
        return server.uri().resolve(path);
    }

    HttpResponse<String> post(String path, String json) throws IOException, InterruptedException {
        return post(path, json.getBytes(StandardCharsets.UTF_8), "application/json");
    }

    HttpResponse<String> post(String path, byte[] body, String contentType) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(60))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (contentType != null) b.header("Content-Type", contentType);
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(30)).GET().build(),
                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    @Override
    public void close() {
        server.close();
        client.close();
    }
}
