package dev.mt5augment.gateway;

import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import dev.mt5augment.client.AugmentClient;
import dev.mt5augment.contracts.codec.RequestDecoder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The HTTP gateway: the JDK's {@link HttpServer} with a bounded executor, serving
 * {@code POST /augment}, {@code POST /augment_batch}, {@code GET /health} and the page at
 * {@code GET /}, on top of an {@link AugmentClient} the caller owns (and closes after the server).
 *
 * <p>Threading: the server's dispatcher thread accepts and parses request headers; handlers run on
 * {@code handlerThreads} threads with a queue of {@code handlerQueue} (beyond that the JDK server
 * closes the connection unanswered); answers are written on {@code responderThreads} threads when
 * results arrive, whose queue is bounded by the client's in-flight limit. Start and close from one
 * thread.
 */
public final class GatewayServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(GatewayServer.class);

    private final HttpServer server;
    private final ThreadPoolExecutor handlers;
    private final ExecutorService responders;

    private GatewayServer(HttpServer server, ThreadPoolExecutor handlers, ExecutorService responders) {
        this.server = server;
        this.handlers = handlers;
        this.responders = responders;
    }

    public static GatewayServer start(GatewaySettings settings, AugmentClient client) throws IOException {
        // Small JSON answers: without TCP_NODELAY, delayed ACKs add ~40 ms to each keep-alive request.
        // The JDK server reads this once, when its first instance starts; an explicit -D setting wins.
        if (System.getProperty("sun.net.httpserver.nodelay") == null) System.setProperty("sun.net.httpserver.nodelay", "true");
        ThreadPoolExecutor handlers = new ThreadPoolExecutor(settings.handlerThreads(), settings.handlerThreads(),
                60, TimeUnit.SECONDS, new ArrayBlockingQueue<>(settings.handlerQueue()), threads("gateway-handler"),
                new ThreadPoolExecutor.AbortPolicy());
        ExecutorService responders = Executors.newFixedThreadPool(settings.responderThreads(), threads("gateway-responder"));
        HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress(settings.host(), settings.port()), 128);
        } catch (IOException e) {
            handlers.shutdownNow();
            responders.shutdownNow();
            throw new IOException("cannot listen on " + settings.host() + ":" + settings.port() + ": " + e.getMessage(), e);
        }
        RequestDecoder decoder = RequestDecoder.builder().maxRecordBytes(settings.maxBodyBytes())
                .replyTopicAllowed(topic -> false) // the gateway reads the answers itself
                .build();
        Map<String, HttpHandler> routes = new LinkedHashMap<>();
        routes.put("/", new PageEndpoint());
        routes.put("/health", new HealthEndpoint(client));
        for (AugmentEndpoint.Kind kind : AugmentEndpoint.Kind.values()) {
            routes.put(kind.path, new AugmentEndpoint(kind, client, decoder, settings.timeout(), responders));
        }
        server.createContext("/", new Router(routes));
        server.setExecutor(handlers);
        server.start();
        GatewayServer g = new GatewayServer(server, handlers, responders);
        log.info("gateway listening on {} (requests to {}, replies from {}, timeout {} ms)", g.uri(),
                client.requestTopic(), client.replyTopic(), settings.timeout().toMillis());
        return g;
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** {@code http://host:port/}. */
    public URI uri() {
        String host = server.getAddress().getAddress().isAnyLocalAddress() ? "localhost" : server.getAddress().getHostString();
        return URI.create("http://" + host + ":" + port() + "/");
    }

    /** Stops accepting, lets exchanges in progress finish for up to a second, stops the threads. */
    @Override
    public void close() {
        server.stop(1);
        handlers.shutdown();
        responders.shutdown();
        try {
            if (!responders.awaitTermination(2, TimeUnit.SECONDS)) responders.shutdownNow();
            if (!handlers.awaitTermination(2, TimeUnit.SECONDS)) handlers.shutdownNow();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static ThreadFactory threads(String name) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
