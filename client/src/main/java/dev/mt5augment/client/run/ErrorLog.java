package dev.mt5augment.client.run;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;

import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * {@code OUT.errors.jsonl}: one JSON line per input this run could not answer, so none is dropped
 * silently: {@code input_line}, {@code input_key} and {@code text} (when the record could be read),
 * {@code code}, {@code message}, {@code field}, {@code request_id} (when one was sent),
 * {@code attempts}. Rewritten by each run (a rerun retries these inputs); deleted at the end of a
 * run that had none, so its presence means errors.
 *
 * <p>Not thread-safe.
 */
final class ErrorLog implements Closeable {

    private static final JsonFactory JSON = new JsonFactory();

    /** One failed input. */
    record Entry(long line, InputKey keyOrNull, String textOrNull, String code, String message, String fieldOrNull,
                 String requestIdOrNull, int attempts) {
    }

    private final Path path;
    private final OutputStream out;
    private long count;

    ErrorLog(Path path) throws IOException {
        this.path = path;
        this.out = new BufferedOutputStream(Files.newOutputStream(path), 1 << 14);
    }

    static Path pathFor(Path output) {
        return output.resolveSibling(output.getFileName() + ".errors.jsonl");
    }

    Path path() {
        return path;
    }

    long count() {
        return count;
    }

    void write(Entry e) throws IOException {
        ByteArrayOutputStream buf = new ByteArrayOutputStream(256);
        try (JsonGenerator g = JSON.createGenerator(buf, JsonEncoding.UTF8)) {
            g.writeStartObject();
            g.writeNumberField("input_line", e.line());
            if (e.keyOrNull() == null) g.writeNullField("input_key");
            else g.writeStringField("input_key", e.keyOrNull().toString());
            if (e.textOrNull() == null) g.writeNullField("text");
            else g.writeStringField("text", e.textOrNull());
            g.writeStringField("code", e.code());
            g.writeStringField("message", e.message());
            if (e.fieldOrNull() == null) g.writeNullField("field");
            else g.writeStringField("field", e.fieldOrNull());
            if (e.requestIdOrNull() == null) g.writeNullField("request_id");
            else g.writeStringField("request_id", e.requestIdOrNull());
            g.writeNumberField("attempts", e.attempts());
            g.writeEndObject();
        }
        buf.write('\n');
        buf.writeTo(out);
        out.flush(); // an error is rare and must survive a kill
        count++;
    }

    @Override
    public void close() throws IOException {
        out.close();
        if (count == 0) Files.deleteIfExists(path);
    }
}
