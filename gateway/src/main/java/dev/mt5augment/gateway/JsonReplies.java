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
import java.io.InputStream;
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
        send(ex, status, contentType, body, 0);
    }

    /**
     * Answers a refused body, then reads and drops up to {@code drainBytes} of what the client is
     * still sending before the connection closes. Closing a socket with unread bytes makes TCP reset
     * it, and the reset destroys the answer in the client's receive buffer: the client would see a
     * broken connection instead of the 413 (Tomcat's {@code maxSwallowSize} exists for the same
     * reason). Answering first means a client that declared a huge body and sends none still gets
     * the answer at once.
     */
    static void sendErrorThenDrain(HttpExchange ex, int status, String code, String message, long drainBytes) {
        ex.getResponseHeaders().set("Connection", "close");
        send(ex, status, JSON_TYPE, error(code, message, null, null), drainBytes);
    }

    private static void send(HttpExchange ex, int status, String contentType, byte[] body, long drainBytes) {
        try (ex) {
            ex.getResponseHeaders().set("Content-Type", contentType);
            ex.getResponseHeaders().set("Cache-Control", "no-store");
            ex.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
            ex.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
            OutputStream out = ex.getResponseBody();
            out.write(body);
            out.flush();
            if (drainBytes > 0) drain(ex.getRequestBody(), drainBytes);
            out.close();
        } catch (IOException e) {
            log.debug("client went away before the response was written: {}", e.toString());
        }
    }

    private static void drain(InputStream in, long limit) {
        byte[] buf = new byte[64 * 1024];
        try {
            int n;
            while (limit > 0 && (n = in.read(buf, 0, (int) Math.min(buf.length, limit))) > 0) limit -= n;
        } catch (IOException e) {
            // the client stopped sending: nothing left to drop
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
