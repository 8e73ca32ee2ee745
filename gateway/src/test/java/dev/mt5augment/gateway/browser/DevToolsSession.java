package dev.mt5augment.gateway.browser;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A Chrome DevTools Protocol connection to one page target over the JDK's {@link WebSocket}:
 * commands by id with their replies, events into a queue.
 *
 * <p>Threading: commands from one test thread; the WebSocket's thread completes replies.
 */
final class DevToolsSession implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final AtomicInteger ids = new AtomicInteger();
    private final Map<Integer, CompletableFuture<JsonNode>> replies = new ConcurrentHashMap<>();
    private final BlockingQueue<JsonNode> events = new LinkedBlockingQueue<>();
    private volatile WebSocket socket;

    private DevToolsSession() {
    }

    static DevToolsSession connect(URI webSocketUrl) throws IOException {
        DevToolsSession session = new DevToolsSession();
        try {
            session.socket = HttpClient.newHttpClient().newWebSocketBuilder().connectTimeout(Duration.ofSeconds(10))
                    .buildAsync(webSocketUrl, session.new Listener()).get(15, TimeUnit.SECONDS);
            return session;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while connecting to DevTools", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IOException("cannot open the DevTools WebSocket " + webSocketUrl + ": " + e, e);
        }
    }

    /** Reassembles messages that arrive in parts, then dispatches them. */
    private final class Listener implements WebSocket.Listener {
        private final StringBuilder partial = new StringBuilder();

        @Override
        public void onOpen(WebSocket ws) {
            ws.request(1);
        }

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                dispatch(partial.toString());
                partial.setLength(0);
            }
            ws.request(1);
            return null;
        }

        @Override
        public void onError(WebSocket ws, Throwable error) {
            replies.values().forEach(f -> f.completeExceptionally(error));
        }
    }

    private void dispatch(String message) {
        JsonNode node;
        try {
            node = JSON.readTree(message);
        } catch (IOException e) {
            return;
        }
        if (node.has("id")) {
            CompletableFuture<JsonNode> f = replies.remove(node.get("id").asInt());
            if (f != null) f.complete(node);
        } else {
            events.add(node);
        }
    }

    /** Sends a command and returns its {@code result}; a protocol error fails with its message. */
    JsonNode send(String method, Map<String, ?> params) throws IOException {
        int id = ids.incrementAndGet();
        ObjectNode msg = JSON.createObjectNode();
        msg.put("id", id);
        msg.put("method", method);
        msg.set("params", JSON.valueToTree(params));
        CompletableFuture<JsonNode> reply = new CompletableFuture<>();
        replies.put(id, reply);
        socket.sendText(JSON.writeValueAsString(msg), true).join();
        JsonNode r;
        try {
            r = reply.get(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted waiting for " + method, e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IOException(method + " got no reply: " + e, e);
        }
        if (r.has("error")) throw new IOException(method + " failed: " + r.get("error"));
        return r.get("result");
    }

    JsonNode send(String method) throws IOException {
        return send(method, Map.of());
    }

    /** Waits for an event by method name (earlier events of other names are dropped). */
    JsonNode awaitEvent(String method, Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            while (true) {
                long left = deadline - System.nanoTime();
                JsonNode e = left <= 0 ? null : events.poll(left, TimeUnit.NANOSECONDS);
                if (e == null) throw new IOException("no " + method + " event within " + timeout);
                if (method.equals(e.path("method").asText())) return e;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted waiting for " + method, e);
        }
    }

    void clearEvents() {
        events.clear();
    }

    @Override
    public void close() {
        socket.sendClose(WebSocket.NORMAL_CLOSURE, "done").exceptionally(e -> null);
    }
}
