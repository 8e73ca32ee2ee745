package dev.mt5augment.gateway;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;

/**
 * The one context of the server: exact paths to endpoints, 404 for the rest, and a last line of
 * defence so that no input, however hostile, escapes as an exception (the JDK server would just drop
 * the connection): a bug answers 500 with its message.
 */
final class Router implements HttpHandler {
    private static final Logger log = LoggerFactory.getLogger(Router.class);

    private final Map<String, HttpHandler> routes;

    Router(Map<String, HttpHandler> routes) {
        this.routes = Map.copyOf(routes);
    }

    @Override
    public void handle(HttpExchange ex) {
        String path = ex.getRequestURI().getRawPath();
        HttpHandler h = path == null ? null : routes.get(path);
        try {
            if (h == null) {
                JsonReplies.sendError(ex, GatewayError.NOT_FOUND, "no such path; the API is POST /augment, "
                        + "POST /augment_batch, GET /health, and the page at GET /");
            } else {
                h.handle(ex);
            }
        } catch (Exception | StackOverflowError | OutOfMemoryError e) {
            log.error("{} {} failed", ex.getRequestMethod(), path, e);
            JsonReplies.sendError(ex, GatewayError.INTERNAL, "the gateway failed on this request: " + e);
        }
    }
}
