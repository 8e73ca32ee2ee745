package dev.mt5augment.gateway;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.mt5augment.client.AugmentClient;
import dev.mt5augment.client.ClientStats;

import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * {@code GET /health}: 200 {@code {"status":"ok", ...}} while the gateway's Kafka client runs (its
 * reply listener alive), else 503 {@code "unavailable"}; with the topics and the client's counters.
 * It cannot tell whether a worker is consuming: a request that times out (504) says that.
 */
final class HealthEndpoint implements HttpHandler {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final AugmentClient client;

    HealthEndpoint(AugmentClient client) {
        this.client = client;
    }

    @Override
    public void handle(HttpExchange ex) {
        if (!ex.getRequestMethod().equals("GET")) {
            ex.getResponseHeaders().set("Allow", "GET");
            JsonReplies.sendError(ex, GatewayError.METHOD_NOT_ALLOWED, ex.getRequestMethod() + " /health is not supported");
            return;
        }
        boolean healthy = client.isHealthy();
        ClientStats s = client.stats();
        ObjectNode body = JSON.createObjectNode();
        body.put("status", healthy ? "ok" : "unavailable");
        body.put("request_topic", client.requestTopic());
        body.put("reply_topic", client.replyTopic());
        body.put("timeout_ms", client.timeout().toMillis());
        body.put("in_flight", s.inFlight());
        body.put("max_in_flight", client.maxInFlight());
        ObjectNode counts = body.putObject("counts");
        counts.put("sent", s.sent());
        counts.put("ok", s.okReplies());
        counts.put("error_results", s.errorReplies());
        counts.put("timed_out", s.timedOut());
        counts.put("send_failures", s.sendFailures());
        counts.put("rejected", s.rejected());
        try {
            JsonReplies.send(ex, healthy ? 200 : 503, JsonReplies.JSON_TYPE, JSON.writeValueAsBytes(body));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
