package dev.mt5augment.gateway;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.sun.net.httpserver.HttpExchange;
import dev.mt5augment.contracts.result.AugmentResult;
import dev.mt5augment.contracts.result.TextResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;

/**
 * Writes responses and closes the exchange. A client that went away while it waited is not an
 * error of the gateway: the write failure is logged at debug level and the exchange closed.
 *
 * <p>Stateless and thread-safe.
 */
final class JsonReplies {
    private static final Logger log = LoggerFactory.getLogger(JsonReplies.class);
    private static final JsonFactory JSON = new JsonFactory();
    static final String JSON_TYPE = "application/json; charset=utf-8";

    private JsonReplies() {
    }

    /** {@code {"augmented_texts": [...], "id", "task", "results": [{text, variants}], "model"}}. */
    static byte[] ok(AugmentResult r) {
        return write(g -> {
            g.writeStartObject();
            g.writeArrayFieldStart("augmented_texts");
            for (String v : r.augmentedTexts()) g.writeString(v);
            g.writeEndArray();
            g.writeStringField("id", r.id());
            g.writeStringField("task", r.task().wireName());
            g.writeArrayFieldStart("results");
            for (TextResult t : r.results()) {
                g.writeStartObject();
                g.writeStringField("text", t.text());
                g.writeArrayFieldStart("variants");
                for (String v : t.variants()) g.writeString(v);
                g.writeEndArray();
                g.writeEndObject();
            }
            g.writeEndArray();
            if (r.model() == null) g.writeNullField("model");
            else g.writeStringField("model", r.model());
            g.writeEndObject();
        });
    }

    /** {@code {"error": {"code", "message", "field"}, "id"}} ({@code id} when known). */
    static byte[] error(String code, String message, String field, String idOrNull) {
        return write(g -> {
            g.writeStartObject();
            g.writeObjectFieldStart("error");
            g.writeStringField("code", code);
            g.writeStringField("message", message);
            if (field == null) g.writeNullField("field");
            else g.writeStringField("field", field);
            g.writeEndObject();
            if (idOrNull != null) g.writeStringField("id", idOrNull);
            g.writeEndObject();
        });
    }

    static void sendError(HttpExchange ex, int status, String code, String message, String field, String id) {
        send(ex, status, JSON_TYPE, error(code, message, field, id));
    }

    static void sendError(HttpExchange ex, GatewayError e, String message) {
        sendError(ex, e.status(), e.name(), message, null, null);
    }

    static void send(HttpExchange ex, int status, String contentType, byte[] body) {
        try (ex) {
            ex.getResponseHeaders().set("Content-Type", contentType);
            ex.getResponseHeaders().set("Cache-Control", "no-store");
            ex.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
            ex.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
            if (body.length > 0) {
                try (OutputStream out = ex.getResponseBody()) {
                    out.write(body);
                }
            }
        } catch (IOException e) {
            log.debug("client went away before the response was written: {}", e.toString());
        }
    }

    private interface Body {
        void write(JsonGenerator g) throws IOException;
    }

    private static byte[] write(Body body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        try (JsonGenerator g = JSON.createGenerator(out, JsonEncoding.UTF8)) {
            body.write(g);
        } catch (IOException e) {
            throw new UncheckedIOException("writing to memory failed", e);
        }
        return out.toByteArray();
    }
}
