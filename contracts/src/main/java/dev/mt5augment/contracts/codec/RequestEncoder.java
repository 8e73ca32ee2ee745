package dev.mt5augment.contracts.codec;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.mt5augment.contracts.request.AugmentRequest;
import dev.mt5augment.contracts.request.RequestField;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Writes a request as producers send it: UTF-8 JSON with the wire names, every default written
 * out, {@code texts} always an array, absent optional fields ({@code seed}, {@code reply_to},
 * {@code deadline_ms}, empty {@code labels}) left out. What it writes decodes to an equal request.
 *
 * <p>Stateless and thread-safe.
 */
public final class RequestEncoder {

    private static final JsonFactory FACTORY = new JsonFactory();

    private RequestEncoder() {
    }

    public static byte[] encode(AugmentRequest r) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        try (JsonGenerator g = FACTORY.createGenerator(out, JsonEncoding.UTF8)) {
            g.writeStartObject();
            g.writeStringField(RequestField.ID.wireName(), r.id());
            g.writeStringField(RequestField.TASK.wireName(), r.task().wireName());
            writeStrings(g, RequestField.TEXTS, r.texts());
            if (!r.labels().isEmpty()) writeStrings(g, RequestField.LABELS, r.labels());
            g.writeStringField(RequestField.DECODING.wireName(), r.decoding().wireName());
            g.writeNumberField(RequestField.NUM_RETURN_SEQUENCES.wireName(), r.numReturnSequences());
            g.writeNumberField(RequestField.NUM_BEAMS.wireName(), r.numBeams());
            g.writeNumberField(RequestField.TEMPERATURE.wireName(), r.temperature());
            g.writeNumberField(RequestField.TOP_P.wireName(), r.topP());
            g.writeNumberField(RequestField.TOP_K.wireName(), r.topK());
            g.writeNumberField(RequestField.MAX_LENGTH.wireName(), r.maxLength());
            g.writeNumberField(RequestField.MIN_LENGTH.wireName(), r.minLength());
            g.writeNumberField(RequestField.REPETITION_PENALTY.wireName(), r.repetitionPenalty());
            g.writeNumberField(RequestField.NO_REPEAT_NGRAM_SIZE.wireName(), r.noRepeatNgramSize());
            g.writeBooleanField(RequestField.DEDUPE.wireName(), r.dedupe());
            if (r.seed() != null) g.writeNumberField(RequestField.SEED.wireName(), r.seed());
            if (r.replyTo() != null) g.writeStringField(RequestField.REPLY_TO.wireName(), r.replyTo());
            if (r.deadlineMs() != null) g.writeNumberField(RequestField.DEADLINE_MS.wireName(), r.deadlineMs());
            g.writeNumberField(RequestField.SCHEMA_VERSION.wireName(), r.schemaVersion());
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("writing to memory failed", e);
        }
        return out.toByteArray();
    }

    public static String encodeToString(AugmentRequest r) {
        return new String(encode(r), StandardCharsets.UTF_8);
    }

    private static void writeStrings(JsonGenerator g, RequestField field, List<String> values) throws IOException {
        g.writeArrayFieldStart(field.wireName());
        for (String v : values) g.writeString(v);
        g.writeEndArray();
    }
}
