package dev.mt5augment.gateway;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * {@code GET /}: the one page ({@code page.html}: inline CSS and JavaScript, no external assets,
 * so it works offline). Its Content-Security-Policy lets it load nothing but itself and talk only to
 * this server.
 */
final class PageEndpoint implements HttpHandler {

    static final String CSP = "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; "
            + "connect-src 'self'; img-src data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    private final byte[] page;

    PageEndpoint() {
        try (InputStream in = PageEndpoint.class.getResourceAsStream("page.html")) {
            if (in == null) throw new IllegalStateException("page.html is missing from the gateway jar");
            page = in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void handle(HttpExchange ex) {
        String method = ex.getRequestMethod();
        if (!method.equals("GET") && !method.equals("HEAD")) {
            ex.getResponseHeaders().set("Allow", "GET, HEAD");
            JsonReplies.sendError(ex, GatewayError.METHOD_NOT_ALLOWED, method + " / is not supported");
            return;
        }
        ex.getResponseHeaders().set("Content-Security-Policy", CSP);
        JsonReplies.send(ex, 200, "text/html; charset=utf-8", method.equals("HEAD") ? new byte[0] : page);
    }
}
