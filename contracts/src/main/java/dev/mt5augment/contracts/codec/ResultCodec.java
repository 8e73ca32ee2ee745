package dev.mt5augment.contracts.codec;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mt5augment.contracts.error.ContractError;
import dev.mt5augment.contracts.error.ErrorCode;
import dev.mt5augment.contracts.error.InvalidRequestException;
import dev.mt5augment.contracts.error.Quoting;
import dev.mt5augment.contracts.request.RequestId;
import dev.mt5augment.contracts.request.RequestLimits;
import dev.mt5augment.contracts.result.AugmentResult;
import dev.mt5augment.contracts.result.ResultError;
import dev.mt5augment.contracts.result.ResultStatus;
import dev.mt5augment.contracts.result.TextResult;
import dev.mt5augment.contracts.result.Timings;
import dev.mt5augment.contracts.task.Task;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Results on the wire. Workers encode: every key is always written ({@code null} or empty when it
 * does not apply), so consumers in any language see one shape. Clients decode: leniently towards
 * newer workers (unknown fields ignored, unknown error codes kept as text), strictly on the rest,
 * and without throwing.
 *
 * <p>Immutable and thread-safe.
 */
public final class ResultCodec {

    /** Results are bigger than requests: 256 texts × 10 variants. */
    public static final int DEFAULT_MAX_RESULT_BYTES = 16 << 20;

    static final String ID = "id";
    static final String STATUS = "status";
    static final String TASK = "task";
    static final String RESULTS = "results";
    static final String TEXT = "text";
    static final String VARIANTS = "variants";
    static final String AUGMENTED_TEXTS = "augmented_texts";
    static final String ERROR = "error";
    static final String CODE = "code";
    static final String MESSAGE = "message";
    static final String FIELD = "field";
    static final String MODEL = "model";
    static final String WORKER = "worker";
    static final String TIMINGS = "timings";
    static final String QUEUED_MS = "queued_ms";
    static final String INFERENCE_MS = "inference_ms";
    static final String TOTAL_MS = "total_ms";
    static final String SCHEMA_VERSION = "schema_version";

    private static final JsonFactory WRITER = new JsonFactory();

    private final int maxResultBytes;
    private final ObjectMapper reader;

    private ResultCodec(int maxResultBytes) {
        this.maxResultBytes = maxResultBytes;
        this.reader = new ObjectMapper(ReaderLimits.factory(maxResultBytes, true));
    }

    public static ResultCodec withDefaults() {
        return new ResultCodec(DEFAULT_MAX_RESULT_BYTES);
    }

    public static ResultCodec withMaxResultBytes(int maxResultBytes) {
        if (maxResultBytes < 64) throw new IllegalArgumentException("maxResultBytes must be at least 64, got " + maxResultBytes);
        return new ResultCodec(maxResultBytes);
    }

    /**
     * The result as UTF-8 JSON. Unpaired surrogates (never produced by the tokenizer, but a
     * template or a bug could) are written as U+FFFD so the output is always valid UTF-8.
     */
    public byte[] encode(AugmentResult r) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(512);
        try (JsonGenerator g = WRITER.createGenerator(out, JsonEncoding.UTF8)) {
            g.writeStartObject();
            g.writeStringField(ID, r.id());
            g.writeStringField(STATUS, r.status().wireName());
            writeNullable(g, TASK, r.task() == null ? null : r.task().wireName());
            g.writeArrayFieldStart(RESULTS);
            for (TextResult t : r.results()) {
                g.writeStartObject();
                writeText(g, TEXT, t.text());
                g.writeArrayFieldStart(VARIANTS);
                for (String v : t.variants()) g.writeString(valid(v));
                g.writeEndArray();
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeArrayFieldStart(AUGMENTED_TEXTS);
            for (String v : r.augmentedTexts()) g.writeString(valid(v));
            g.writeEndArray();
            if (r.error() == null) {
                g.writeNullField(ERROR);
            } else {
                g.writeObjectFieldStart(ERROR);
                writeText(g, CODE, r.error().code());
                writeText(g, MESSAGE, r.error().message());
                writeNullable(g, FIELD, r.error().field());
                g.writeEndObject();
            }
            writeNullable(g, MODEL, r.model());
            writeNullable(g, WORKER, r.worker());
            g.writeObjectFieldStart(TIMINGS);
            g.writeNumberField(QUEUED_MS, r.timings().queuedMs());
            g.writeNumberField(INFERENCE_MS, r.timings().inferenceMs());
            g.writeNumberField(TOTAL_MS, r.timings().totalMs());
            g.writeEndObject();
            g.writeNumberField(SCHEMA_VERSION, r.schemaVersion());
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("writing to memory failed", e);
        }
        return out.toByteArray();
    }

    /** The result, or why it cannot be read ({@code idIfReadable} is the result's id when valid). */
    public DecodeOutcome<AugmentResult> decode(byte[] value) {
        if (value == null || value.length == 0) {
            return new DecodeOutcome.Rejected<>(ContractError.of(ErrorCode.MALFORMED_JSON, "the record has no value"), null);
        }
        if (value.length > maxResultBytes) {
            return new DecodeOutcome.Rejected<>(ContractError.of(ErrorCode.RECORD_TOO_LARGE,
                    "the result has " + value.length + " bytes; at most " + maxResultBytes + " are read"), null);
        }
        JsonNode root = null;
        try {
            String text = StrictUtf8.decode(value);
            JsonSyntax.check(reader.getFactory(), text);
            try (JsonParser p = reader.getFactory().createParser(text)) {
                root = reader.readTree(p);
            }
            return new DecodeOutcome.Decoded<>(toResult(root));
        } catch (InvalidRequestException e) {
            return new DecodeOutcome.Rejected<>(e.error(), idOf(root));
        } catch (StreamConstraintsException e) {
            return new DecodeOutcome.Rejected<>(JsonSyntax.limitExceeded(e).error(), idOf(root));
        } catch (JsonProcessingException e) {
            return new DecodeOutcome.Rejected<>(ContractError.of(ErrorCode.SCHEMA_VIOLATION,
                    "the result is not a v1 result: " + e.getOriginalMessage()), idOf(root));
        } catch (IOException | RuntimeException e) {
            return new DecodeOutcome.Rejected<>(ContractError.of(ErrorCode.SCHEMA_VIOLATION,
                    "the result is not a v1 result: " + e.getMessage()), idOf(root));
        }
    }

    private static AugmentResult toResult(JsonNode root) {
        if (root == null || !root.isObject()) throw violation(null, "a result must be a JSON object");
        JsonNode version = root.get(SCHEMA_VERSION);
        if (version != null && !version.isNull() && !(version.canConvertToExactIntegral() && version.asLong() == RequestLimits.SCHEMA_VERSION)) {
            throw new InvalidRequestException(ErrorCode.UNSUPPORTED_VERSION, SCHEMA_VERSION,
                    "result schema_version " + Quoting.quote(version.toString()) + " is not supported");
        }
        String id = requiredText(root, ID);
        ResultStatus status = ResultStatus.fromWireName(requiredText(root, STATUS))
                .orElseThrow(() -> violation(STATUS, "status must be ok or error"));
        String taskName = optionalText(root, TASK);
        Task task = taskName == null ? null : Task.fromWireName(taskName)
                .orElseThrow(() -> violation(TASK, "unknown task " + Quoting.quote(taskName)));
        List<TextResult> results = new ArrayList<>();
        for (JsonNode item : array(root, RESULTS)) {
            if (!item.isObject()) throw violation(RESULTS, "results items must be objects");
            results.add(new TextResult(requiredText(item, TEXT), strings(item, VARIANTS)));
        }
        ResultError error = null;
        JsonNode e = root.get(ERROR);
        if (e != null && !e.isNull()) {
            if (!e.isObject()) throw violation(ERROR, "error must be an object");
            error = new ResultError(requiredText(e, CODE), requiredText(e, MESSAGE), optionalText(e, FIELD));
        }
        Timings timings = Timings.NONE;
        JsonNode t = root.get(TIMINGS);
        if (t != null && !t.isNull()) {
            if (!t.isObject()) throw violation(TIMINGS, "timings must be an object");
            timings = new Timings(millis(t, QUEUED_MS), millis(t, INFERENCE_MS), millis(t, TOTAL_MS));
        }
        List<String> augmented = root.has(AUGMENTED_TEXTS) ? strings(root, AUGMENTED_TEXTS)
                : results.stream().flatMap(r -> r.variants().stream()).toList();
        try {
            return new AugmentResult(id, status, task, results, augmented, error, optionalText(root, MODEL),
                    optionalText(root, WORKER), timings, RequestLimits.SCHEMA_VERSION);
        } catch (IllegalArgumentException | NullPointerException ex) {
            throw violation(null, "inconsistent result: " + ex.getMessage());
        }
    }

    private static String idOf(JsonNode root) {
        if (root == null || !root.isObject()) return null;
        JsonNode id = root.get(ID);
        return id != null && id.isTextual() && RequestId.isValid(id.textValue()) ? id.textValue() : null;
    }

    private static String requiredText(JsonNode node, String field) {
        String s = optionalText(node, field);
        if (s == null) throw violation(field, field + " is required");
        return s;
    }

    private static String optionalText(JsonNode node, String field) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) return null;
        if (!v.isTextual()) throw violation(field, field + " must be a string");
        return v.textValue();
    }

    private static List<JsonNode> array(JsonNode node, String field) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) return List.of();
        if (!v.isArray()) throw violation(field, field + " must be an array");
        List<JsonNode> items = new ArrayList<>(v.size());
        v.forEach(items::add);
        return items;
    }

    private static List<String> strings(JsonNode node, String field) {
        List<String> out = new ArrayList<>();
        for (JsonNode item : array(node, field)) {
            if (!item.isTextual()) throw violation(field, field + " items must be strings");
            out.add(item.textValue());
        }
        return out;
    }

    private static long millis(JsonNode node, String field) {
        JsonNode v = node.get(field);
        if (v == null || !v.canConvertToExactIntegral() || !v.canConvertToLong() || v.asLong() < 0) {
            throw violation(field, field + " must be a non-negative integer");
        }
        return v.asLong();
    }

    private static InvalidRequestException violation(String field, String message) {
        return new InvalidRequestException(ErrorCode.SCHEMA_VIOLATION, field, message);
    }

    private static void writeNullable(JsonGenerator g, String name, String value) throws IOException {
        if (value == null) g.writeNullField(name);
        else writeText(g, name, value);
    }

    private static void writeText(JsonGenerator g, String name, String value) throws IOException {
        g.writeStringField(name, valid(value));
    }

    private static String valid(String s) {
        return Quoting.clean(s, Integer.MAX_VALUE);
    }
}
