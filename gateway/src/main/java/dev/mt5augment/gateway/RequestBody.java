package dev.mt5augment.gateway;

import com.sun.net.httpserver.HttpExchange;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;

/**
 * Reads a request body without ever holding more than the limit: a declared
 * {@code Content-Length} over it is refused before reading, a chunked body is cut off one byte past
 * it. What is left of a refused body is drained after the answer ({@link JsonReplies#sendErrorThenDrain}).
 */
final class RequestBody {

    /** The body is larger than the limit. */
    static final class TooLargeException extends Exception {
        TooLargeException(String message) {
            super(message);
        }
    }

    private RequestBody() {
    }

    static byte[] read(HttpExchange ex, int maxBytes) throws IOException, TooLargeException {
        String declared = ex.getRequestHeaders().getFirst("Content-Length");
        if (declared != null) {
            long length;
            try {
                length = Long.parseLong(declared.trim());
            } catch (NumberFormatException e) {
                length = -1;
            }
            if (length > maxBytes) {
                throw new TooLargeException("the body has " + length + " bytes; at most " + maxBytes + " are accepted");
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(declared != null ? Math.min(maxBytes, 8192) : 1024);
        byte[] buf = new byte[8192];
        try (InputStream in = ex.getRequestBody()) {
            int n;
            while ((n = in.read(buf, 0, Math.min(buf.length, maxBytes + 1 - out.size()))) > 0) {
                out.write(buf, 0, n);
                if (out.size() > maxBytes) {
                    throw new TooLargeException("the body is longer than the " + maxBytes + " bytes accepted");
                }
            }
        }
        return out.toByteArray();
    }

    /**
     * Why the declared content type is not JSON, or {@code null}: {@code application/json} (or
     * {@code application/*+json}), in UTF-8 if a charset is named; no {@code Content-Type} is taken as JSON.
     */
    static String notJson(HttpExchange ex) {
        String type = ex.getRequestHeaders().getFirst("Content-Type");
        if (type == null || type.isBlank()) return null;
        String[] parts = type.split(";");
        String media = parts[0].trim().toLowerCase(Locale.ROOT);
        if (!media.equals("application/json") && !(media.startsWith("application/") && media.endsWith("+json"))) {
            return "the body must be JSON (Content-Type: application/json), got '" + shorten(type)
                    + "'; with curl use -H 'Content-Type: application/json' or --json";
        }
        for (int i = 1; i < parts.length; i++) {
            String p = parts[i].trim().toLowerCase(Locale.ROOT);
            if (p.startsWith("charset=")) {
                String cs = p.substring("charset=".length()).replace("\"", "");
                if (!cs.equals("utf-8") && !cs.equals("utf8")) return "the body must be UTF-8, got charset " + shorten(cs);
            }
        }
        return null;
    }

    private static String shorten(String s) {
        return s.length() > 80 ? s.substring(0, 80) + "..." : s;
    }
}
