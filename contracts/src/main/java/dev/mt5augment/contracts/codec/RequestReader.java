package dev.mt5augment.contracts.codec;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import dev.mt5augment.contracts.error.ContractError;
import dev.mt5augment.contracts.error.ErrorCode;
import dev.mt5augment.contracts.error.InvalidRequestException;
import dev.mt5augment.contracts.error.Quoting;
import dev.mt5augment.contracts.request.AugmentRequest;
import dev.mt5augment.contracts.request.IntRange;
import dev.mt5augment.contracts.request.RequestField;
import dev.mt5augment.contracts.request.RequestLimits;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Second pass: streams the top-level fields of a well-formed JSON object into an
 * {@link AugmentRequest.Builder}, checking each value's JSON type. It reads every field before
 * reporting, so an unsupported {@code schema_version} wins over the unknown fields a newer version
 * would bring; otherwise the first problem in document order is reported. {@code null} means
 * "absent". Lists stop growing one past their limit, so a huge array costs no memory.
 *
 * <p>One instance per record; not thread-safe.
 */
final class RequestReader {

    /** Beyond any 64-bit integer: 2^63 as a double. */
    private static final double TWO_POW_63 = 9.223372036854775808E18;

    private final JsonParser parser;
    private final AugmentRequest.Builder builder;
    private ContractError firstProblem;
    private Long schemaVersion;
    private String schemaVersionText;

    private RequestReader(JsonParser parser, AugmentRequest.Builder builder) {
        this.parser = parser;
        this.builder = builder;
    }

    /** Reads the object into {@code builder}, or throws the contract error to report. */
    static void read(JsonParser parser, AugmentRequest.Builder builder) {
        new RequestReader(parser, builder).readObject();
    }

    private void readObject() {
        try {
            JsonToken root = parser.nextToken();
            if (root != JsonToken.START_OBJECT) {
                throw new InvalidRequestException(ErrorCode.SCHEMA_VIOLATION, null,
                        "the request must be a JSON object, got " + describe(root));
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                JsonToken value = parser.nextToken();
                Optional<RequestField> field = RequestField.fromWireName(name);
                if (field.isEmpty()) {
                    problem(ContractError.of(ErrorCode.SCHEMA_VIOLATION, name,
                            "unknown field " + Quoting.quote(name) + "; v1 requests have only "
                                    + java.util.Arrays.stream(RequestField.values()).map(RequestField::wireName)
                                    .collect(java.util.stream.Collectors.joining(", "))));
                    parser.skipChildren();
                } else if (value != JsonToken.VALUE_NULL) {
                    readField(field.get(), value);
                }
            }
        } catch (StreamConstraintsException e) {
            problem(JsonSyntax.limitExceeded(e).error());
        } catch (JsonProcessingException e) {
            // The first pass found the syntax sound, so this is Jackson's duplicate detection,
            // which names the repeated field in the parsing context before it throws.
            String name = parser.getParsingContext().getCurrentName();
            problem(ContractError.of(ErrorCode.SCHEMA_VIOLATION, name == null ? null : name,
                    "field " + Quoting.quote(name) + " appears more than once"));
        } catch (IOException e) {
            problem(ContractError.of(ErrorCode.MALFORMED_JSON, "the record could not be read: " + e.getMessage()));
        }
        if (schemaVersion != null && schemaVersion != RequestLimits.SCHEMA_VERSION) {
            throw new InvalidRequestException(ErrorCode.UNSUPPORTED_VERSION, RequestField.SCHEMA_VERSION.wireName(),
                    "schema_version " + schemaVersionText + " is not supported; this worker reads version "
                            + RequestLimits.SCHEMA_VERSION);
        }
        if (firstProblem != null) throw new InvalidRequestException(firstProblem);
    }

    private void problem(ContractError error) {
        if (firstProblem == null) firstProblem = error;
    }

    private void readField(RequestField field, JsonToken value) throws IOException {
        switch (field.kind()) {
            case STRING -> {
                if (value != JsonToken.VALUE_STRING) {
                    wrongType(field.wireName(), field.kind().description(), value);
                    return;
                }
                String s = parser.getText();
                switch (field) {
                    case ID -> builder.id(s);
                    case TEXT -> builder.text(s);
                    case TASK -> builder.task(s);
                    case DECODING -> builder.decoding(s);
                    case REPLY_TO -> builder.replyTo(s);
                    default -> throw new IllegalStateException("no string setter for " + field);
                }
            }
            case STRING_ARRAY -> {
                if (value != JsonToken.START_ARRAY) {
                    wrongType(field.wireName(), field.kind().description(), value);
                    return;
                }
                int keep = (field == RequestField.TEXTS ? RequestLimits.MAX_TEXTS : RequestLimits.MAX_LABELS) + 1;
                List<String> items = readStrings(field, keep);
                if (items == null) return;
                if (field == RequestField.TEXTS) builder.texts(items);
                else builder.labels(items);
            }
            case INTEGER -> {
                Long v = readInteger(field, value);
                if (v == null) return;
                switch (field) {
                    case NUM_RETURN_SEQUENCES -> builder.numReturnSequences(v);
                    case TOP_K -> builder.topK(v);
                    case MAX_LENGTH -> builder.maxLength(v);
                    case MIN_LENGTH -> builder.minLength(v);
                    case SEED -> builder.seed(v);
                    case DEADLINE_MS -> builder.deadlineMs(v);
                    case SCHEMA_VERSION -> {
                        schemaVersion = v;
                        schemaVersionText = Long.toString(v);
                        builder.schemaVersion(v);
                    }
                    case NUM_BEAMS -> builder.numBeams(v);
                    case NO_REPEAT_NGRAM_SIZE -> builder.noRepeatNgramSize(v);
                    default -> throw new IllegalStateException("no integer setter for " + field);
                }
            }
            case NUMBER -> {
                if (!value.isNumeric()) {
                    wrongType(field.wireName(), field.kind().description(), value);
                    return;
                }
                double d = parser.getDoubleValue();
                switch (field) {
                    case TEMPERATURE -> builder.temperature(d);
                    case TOP_P -> builder.topP(d);
                    case REPETITION_PENALTY -> builder.repetitionPenalty(d);
                    default -> throw new IllegalStateException("no number setter for " + field);
                }
            }
            case BOOLEAN -> {
                if (value != JsonToken.VALUE_TRUE && value != JsonToken.VALUE_FALSE) {
                    wrongType(field.wireName(), field.kind().description(), value);
                    return;
                }
                builder.dedupe(value == JsonToken.VALUE_TRUE);
            }
        }
    }

    /** The strings of an array, at most {@code keep}; {@code null} when an item is not a string. */
    private List<String> readStrings(RequestField field, int keep) throws IOException {
        List<String> items = new ArrayList<>();
        boolean ok = true;
        int index = 0;
        for (JsonToken t = parser.nextToken(); t != JsonToken.END_ARRAY; t = parser.nextToken(), index++) {
            if (t != JsonToken.VALUE_STRING) {
                if (ok) wrongType(field.item(index), "a string", t);
                ok = false;
            } else if (ok && items.size() < keep) {
                items.add(parser.getText());
            }
        }
        return ok ? items : null;
    }

    /**
     * An integer, exactly: JSON integers are read in full (up to the reader's digit limit);
     * numbers with a fraction or exponent count when their double value is whole, as in JSON Schema.
     */
    private Long readInteger(RequestField field, JsonToken value) throws IOException {
        Optional<IntRange> range = RequestLimits.intRange(field);
        if (value == JsonToken.VALUE_NUMBER_INT) {
            if (parser.getNumberType() != JsonParser.NumberType.BIG_INTEGER) return parser.getLongValue();
            tooBig(field, range, parser.getText());
            return null;
        }
        if (value == JsonToken.VALUE_NUMBER_FLOAT) {
            double d = parser.getDoubleValue();
            if (Double.isInfinite(d) || (d == Math.rint(d) && (d >= TWO_POW_63 || d < -TWO_POW_63))) {
                tooBig(field, range, parser.getText());
                return null;
            }
            if (d != Math.rint(d) || Double.isNaN(d)) {
                problem(ContractError.of(ErrorCode.SCHEMA_VIOLATION, field.wireName(),
                        field.wireName() + " must be an integer, got " + shorten(parser.getText())));
                return null;
            }
            return (long) d;
        }
        wrongType(field.wireName(), field.kind().description(), value);
        return null;
    }

    private void tooBig(RequestField field, Optional<IntRange> range, String written) {
        if (range.isPresent()) {
            problem(range.get().outOfRange(written).error());
        } else {
            // Only schema_version has no range: any value but 1 is unsupported.
            schemaVersion = Long.MAX_VALUE;
            schemaVersionText = shorten(written);
        }
    }

    private void wrongType(String field, String expected, JsonToken actual) throws IOException {
        problem(ContractError.of(ErrorCode.SCHEMA_VIOLATION, field,
                field + " must be " + expected + ", got " + describe(actual)
                        + (actual == JsonToken.VALUE_STRING ? " " + Quoting.quote(parser.getText()) : "")));
        parser.skipChildren();
    }

    private static String shorten(String number) {
        return number.length() > 40 ? number.substring(0, 40) + "..." : number;
    }

    static String describe(JsonToken t) {
        if (t == null) return "nothing";
        return switch (t) {
            case VALUE_STRING -> "a string";
            case VALUE_NUMBER_INT -> "an integer";
            case VALUE_NUMBER_FLOAT -> "a number";
            case VALUE_TRUE, VALUE_FALSE -> "a boolean";
            case VALUE_NULL -> "null";
            case START_ARRAY -> "an array";
            case START_OBJECT -> "an object";
            default -> t.toString();
        };
    }
}
