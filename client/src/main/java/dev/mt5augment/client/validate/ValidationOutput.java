package dev.mt5augment.client.validate;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.mt5augment.contracts.codec.RequestEncoder;
import dev.mt5augment.contracts.error.ContractError;
import dev.mt5augment.contracts.request.AugmentRequest;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;

/**
 * Writes one UTF-8 JSON line per request: the normalised request, or
 * {@code {"line":N,"id":ID,"error":{"code":..,"message":..,"field":..}}} ({@code id} only when one
 * could be read).
 */
final class ValidationOutput {

    private static final JsonFactory JSON = new JsonFactory();

    private final OutputStream out;

    ValidationOutput(OutputStream out) {
        this.out = out;
    }

    void valid(AugmentRequest request) throws IOException {
        out.write(RequestEncoder.encode(request));
        out.write('\n');
    }

    void invalid(int line, String idOrNull, ContractError error) throws IOException {
        ByteArrayOutputStream buf = new ByteArrayOutputStream(256);
        try (JsonGenerator g = JSON.createGenerator(buf, JsonEncoding.UTF8)) {
            g.writeStartObject();
            g.writeNumberField("line", line);
            if (idOrNull != null) g.writeStringField("id", idOrNull);
            g.writeObjectFieldStart("error");
            g.writeStringField("code", error.code().name());
            g.writeStringField("message", error.message());
            if (error.field() == null) g.writeNullField("field");
            else g.writeStringField("field", error.field());
            g.writeEndObject();
            g.writeEndObject();
        }
        out.write(buf.toByteArray());
        out.write('\n');
    }

    void flush() throws IOException {
        out.flush();
    }
}
