package dev.mt5augment.contracts.codec;

import dev.mt5augment.contracts.codec.HostileCase.Divergence;
import dev.mt5augment.contracts.error.ErrorCode;
import dev.mt5augment.contracts.request.IntRange;
import dev.mt5augment.contracts.request.NumberRange;
import dev.mt5augment.contracts.request.RequestField;
import dev.mt5augment.contracts.request.RequestLimits;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static dev.mt5augment.contracts.error.ErrorCode.*;

/**
 * Hundreds of hostile and boundary inputs, each with the code the contract promises: written by
 * hand for the named attacks, generated for every field × wrong JSON type, every range boundary
 * and every truncation of a full request. The schema agreement test runs the same corpus.
 */
public final class HostileCorpus {

    static final int DEFAULT_LIMIT = RequestDecoder.DEFAULT_MAX_RECORD_BYTES;
    private static final String TEXT = "今天天气很好，我们去公园散步吧。";

    private final List<HostileCase> cases = new ArrayList<>();

    private HostileCorpus() {
    }

    public static List<HostileCase> all() {
        HostileCorpus c = new HostileCorpus();
        c.valid();
        c.malformed();
        c.truncated();
        c.wrongTypes();
        c.ranges();
        c.fieldRules();
        c.unicode();
        c.sizesAndNesting();
        return Collections.unmodifiableList(c.cases);
    }

    // ---- valid requests, including edge cases that must pass --------------------------------

    private void valid() {
        ok("minimal", req());
        ok("texts array", req("text", null, "texts", "[\"a\",\"b\",\"c\"]"));
        ok("every field set", req("text", null, "texts", "[\"一\",\"二\"]", "task", q("augment"), "num_return_sequences", "5",
                "temperature", "1.2", "top_p", "0.9", "top_k", "40", "max_length", "64", "min_length", "4", "seed", "42",
                "reply_to", q("my.results-1"), "labels", "[\"x\"]", "deadline_ms", "5000", "schema_version", "1",
                "decoding", q("sample"), "num_beams", "1", "dedupe", "false", "repetition_penalty", "1.3",
                "no_repeat_ngram_size", "3"));
        ok("nulls mean absent", req("task", "null", "seed", "null", "reply_to", "null", "labels", "null", "decoding", "null",
                "num_beams", "null", "dedupe", "null", "deadline_ms", "null", "schema_version", "null", "texts", "null"));
        ok("id from the record key", bytes(obj("text", q(TEXT))), "key-7", DEFAULT_LIMIT);
        ok("null id, id from key", bytes(obj("id", "null", "text", q(TEXT))), "k:8", DEFAULT_LIMIT);
        ok("integer written as 3.0", req("num_return_sequences", "3.0"));
        ok("integer written as 1e2", req("top_k", "1e2"));
        ok("integer written as 5E+0", req("max_length", "5E+0"));
        ok("schema_version 1.0", req("schema_version", "1.0"));
        ok("seed int64 max", req("seed", "9223372036854775807"));
        ok("seed int64 min", req("seed", "-9223372036854775808"));
        ok("seed zero", req("seed", "0"));
        ok("temperature 1e-300 is above 0", req("temperature", "1e-300"));
        ok("text exactly 512 characters", req("text", q("字".repeat(512))));
        ok("text of 512 emoji (1024 UTF-16 units)", req("text", q("😀".repeat(512))));
        ok("256 texts", req("text", null, "texts", array(256, "t")));
        ok("classify with labels", req("task", q("classify"), "labels", "[\"体育\",\"财经\",\"科技\"]"));
        for (String task : List.of("augment", "summarize", "title", "keywords", "sentiment", "translate_en", "custom")) {
            ok("task " + task, req("task", q(task)));
        }
        ok("greedy defaults to one sequence", req("decoding", q("greedy")));
        ok("greedy with one sequence", req("decoding", q("greedy"), "num_return_sequences", "1"));
        ok("beam 10 of 16", req("decoding", q("beam"), "num_return_sequences", "10", "num_beams", "16"));
        ok("beam default width 10 for 10 sequences", req("decoding", q("beam"), "num_return_sequences", "10"));
        ok("zero-shot task with explicit sampling", req("task", q("title"), "decoding", q("sample")));
        ok("padded text is trimmed", req("text", q("   你好   ")));
        ok("escaped control characters inside text", req("text", q("a\\u0001b\\u0000c\\u001f")));
        ok("escaped solidus and unicode escapes", req("text", q("a\\/b\\u4f60\\u597d")));
        ok("valid surrogate pair escape", req("text", q("\\ud83d\\ude00 ok")));
        ok("U+FEFF inside text", req("text", q("\uFEFFabc")));
        ok("noncharacter U+FFFF", req("text", q("a\uFFFFb")));
        ok("pretty printed with CRLF", bytes("{\r\n  \"id\" : \"r1\",\r\n  \"text\" : \"abc\"\r\n}\r\n"));
        ok("leading BOM is skipped", concat(new byte[]{(byte) 0xEF, (byte) 0xBB, (byte) 0xBF}, bytes(req())), Divergence.BYTES);
        ok("id of 128 characters", req("id", q("a".repeat(128))));
        ok("id with every allowed character", req("id", q("AZaz09._:-")));
        ok("reply_to of 249 characters", req("reply_to", q("t".repeat(249))));
        ok("deadline boundary 3600000", req("deadline_ms", "3600000"));
        ok("min_length equals max_length", req("min_length", "512", "max_length", "512"));
        ok("ZWJ family emoji counts 5 code points", req("text", q("👨\u200D👩\u200D👧")));
        ok("label list of 64", req("task", q("classify"), "labels", array(64, "l")));
    }

    // ---- not JSON ---------------------------------------------------------------------------

    private void malformed() {
        bad("empty record", new byte[0], MALFORMED_JSON);
        bad("whitespace only", bytes("  \n\t "), MALFORMED_JSON);
        bad("BOM only", new byte[]{(byte) 0xEF, (byte) 0xBB, (byte) 0xBF}, MALFORMED_JSON, Divergence.BYTES);
        bad("NaN literal", req("temperature", "NaN"), MALFORMED_JSON);
        bad("Infinity literal", req("temperature", "Infinity"), MALFORMED_JSON);
        bad("-Infinity literal", req("temperature", "-Infinity"), MALFORMED_JSON);
        bad("+1 number", req("top_k", "+1"), MALFORMED_JSON);
        bad("leading zero", req("top_k", "01"), MALFORMED_JSON);
        bad("hex number", req("top_k", "0x10"), MALFORMED_JSON);
        bad("dot number", req("temperature", ".5"), MALFORMED_JSON);
        bad("trailing comma in object", bytes("{\"id\":\"r1\",\"text\":\"a\",}"), MALFORMED_JSON);
        bad("trailing comma in array", req("text", null, "texts", "[\"a\",]"), MALFORMED_JSON);
        bad("single quotes", bytes("{'id':'r1','text':'a'}"), MALFORMED_JSON);
        bad("unquoted names", bytes("{id:\"r1\",text:\"a\"}"), MALFORMED_JSON);
        bad("comment", bytes("{\"id\":\"r1\", /* hi */ \"text\":\"a\"}"), MALFORMED_JSON);
        bad("line comment", bytes("{\"id\":\"r1\", // hi\n \"text\":\"a\"}"), MALFORMED_JSON);
        bad("two objects", bytes(req() + req()), MALFORMED_JSON);
        bad("two objects on two lines", bytes(req() + "\n" + req()), MALFORMED_JSON);
        bad("trailing garbage", bytes(req() + "x"), MALFORMED_JSON);
        bad("trailing NUL byte", concat(bytes(req()), new byte[]{0}), MALFORMED_JSON);
        bad("missing colon", bytes("{\"id\" \"r1\"}"), MALFORMED_JSON);
        bad("missing comma", bytes("{\"id\":\"r1\" \"text\":\"a\"}"), MALFORMED_JSON);
        bad("raw control character in string", bytes("{\"id\":\"r1\",\"text\":\"a\u0001b\"}"), MALFORMED_JSON);
        bad("raw newline in string", bytes("{\"id\":\"r1\",\"text\":\"a\nb\"}"), MALFORMED_JSON);
        bad("raw tab in string", bytes("{\"id\":\"r1\",\"text\":\"a\tb\"}"), MALFORMED_JSON);
        bad("invalid escape \\x", req("text", q("a\\x41")), MALFORMED_JSON);
        bad("short unicode escape", req("text", q("a\\u12")), MALFORMED_JSON);
        bad("non-hex unicode escape", req("text", q("a\\uZZZZ")), MALFORMED_JSON);
        bad("unterminated string", bytes("{\"id\":\"r1\",\"text\":\"abc}"), MALFORMED_JSON);
        bad("bare word", bytes("hello"), MALFORMED_JSON);
        bad("True capitalised", req("dedupe", "True"), MALFORMED_JSON);
        bad("undefined", req("seed", "undefined"), MALFORMED_JSON);
        bad("second BOM is a stray U+FEFF", concat(new byte[]{(byte) 0xEF, (byte) 0xBB, (byte) 0xBF, (byte) 0xEF, (byte) 0xBB, (byte) 0xBF},
                bytes(req())), MALFORMED_JSON, Divergence.BYTES);
        bad("root array", bytes("[" + req() + "]"), SCHEMA_VIOLATION);
        bad("root string", bytes("\"text\""), SCHEMA_VIOLATION);
        bad("root number", bytes("42"), SCHEMA_VIOLATION);
        bad("root true", bytes("true"), SCHEMA_VIOLATION);
        bad("root null", bytes("null"), SCHEMA_VIOLATION);
        bad("empty object: the id is checked first", bytes("{}"), MISSING_ID, "id");
    }

    /** Every third prefix of a full request: none is a complete JSON value. */
    private void truncated() {
        String full = req("text", null, "texts", "[\"今天\",\"明天\"]", "task", q("summarize"), "temperature", "0.7",
                "seed", "12345", "dedupe", "true");
        for (int n = 1; n < full.length(); n += 3) {
            bad("truncated at " + n + " of " + full.length(), bytes(full.substring(0, n)), MALFORMED_JSON);
        }
        bad("truncated inside a 3-byte character", Truncation.cutBytes(bytes(req()), 26), NOT_UTF8, Divergence.BYTES);
    }

    // ---- wrong JSON types, for every field ----------------------------------------------------

    private void wrongTypes() {
        Map<RequestField.JsonKind, List<String>> wrong = new LinkedHashMap<>();
        wrong.put(RequestField.JsonKind.STRING, List.of("5", "2.5", "true", "[]", "{}", "[\"a\"]"));
        wrong.put(RequestField.JsonKind.STRING_ARRAY, List.of("\"a\"", "5", "false", "{}", "{\"0\":\"a\"}"));
        wrong.put(RequestField.JsonKind.INTEGER, List.of("\"5\"", "2.5", "true", "[]", "{}", "[5]", "\"NaN\"", "\"1e3\""));
        wrong.put(RequestField.JsonKind.NUMBER, List.of("\"0.5\"", "true", "[]", "{}", "\"Infinity\"", "[0.5]"));
        wrong.put(RequestField.JsonKind.BOOLEAN, List.of("\"true\"", "1", "0", "[]", "{}", "\"false\""));
        for (RequestField field : RequestField.values()) {
            for (String value : wrong.get(field.kind())) {
                String json = field == RequestField.TEXTS ? req("text", null, "texts", value) : req(field.wireName(), value);
                bad(field.wireName() + " = " + value, bytes(json), SCHEMA_VIOLATION, field.wireName());
            }
        }
        for (String item : List.of("5", "null", "true", "[\"a\"]", "{}")) {
            bad("texts item " + item, req("text", null, "texts", "[\"a\"," + item + "]"), SCHEMA_VIOLATION, "texts[1]");
            bad("labels item " + item, req("task", q("classify"), "labels", "[" + item + "]"), SCHEMA_VIOLATION, "labels[0]");
        }
    }

    // ---- ranges -----------------------------------------------------------------------------

    private void ranges() {
        for (RequestField field : RequestField.values()) {
            Optional<IntRange> range = RequestLimits.intRange(field);
            if (range.isEmpty()) continue;
            IntRange r = range.get();
            String[] context = context(field);
            okIn(field + " at min", context, field, Long.toString(r.min()));
            okIn(field + " at max", context, field, Long.toString(r.max()));
            if (r.min() > Long.MIN_VALUE) outOfRange(field + " below min", context, field, Long.toString(r.min() - 1));
            if (r.max() < Long.MAX_VALUE) outOfRange(field + " above max", context, field, Long.toString(r.max() + 1));
            outOfRange(field + " 30 digits", context, field, "1" + "0".repeat(30));
            outOfRange(field + " -30 digits", context, field, "-1" + "0".repeat(30));
            outOfRange(field + " 1000 digits", context, field, "9".repeat(1000));
            outOfRange(field + " 1e400 overflows", context, field, "1e400");
            outOfRange(field + " 1e19 as float", context, field, "1e19");
        }
        for (NumberRange r : List.of(RequestLimits.TEMPERATURE, RequestLimits.TOP_P, RequestLimits.REPETITION_PENALTY)) {
            RequestField field = r.field();
            String[] none = new String[0];
            okIn(field + " at max", none, field, plain(r.inclusiveMax()));
            okIn(field + " integer max", none, field, Long.toString((long) r.inclusiveMax()));
            okIn(field + " just above 0", none, field, "0.001");
            outOfRange(field + " at 0 (exclusive)", none, field, "0");
            outOfRange(field + " at 0.0", none, field, "0.0");
            outOfRange(field + " negative", none, field, "-0.5");
            outOfRange(field + " -0.0", none, field, "-0.0");
            outOfRange(field + " just above max", none, field, plain(r.inclusiveMax()) + "000001");
            outOfRange(field + " 1e400 overflows", none, field, "1e400");
            outOfRange(field + " 1e-400 underflows to 0", none, field, "1e-400");
            outOfRange(field + " 30-digit integer", none, field, "1" + "0".repeat(30));
        }
        bad("number of 1001 digits exceeds the reader", req("seed", "1".repeat(1001)), SCHEMA_VIOLATION);
        bad("schema_version 2", req("schema_version", "2"), UNSUPPORTED_VERSION, "schema_version");
        bad("schema_version 0", req("schema_version", "0"), UNSUPPORTED_VERSION, "schema_version");
        bad("schema_version -1", req("schema_version", "-1"), UNSUPPORTED_VERSION, "schema_version");
        bad("schema_version 30 digits", req("schema_version", "1" + "0".repeat(30)), UNSUPPORTED_VERSION, "schema_version");
        bad("schema_version 2.0", req("schema_version", "2.0"), UNSUPPORTED_VERSION, "schema_version");
        bad("schema_version 1.5", req("schema_version", "1.5"), SCHEMA_VIOLATION, "schema_version");
        bad("schema_version 2 wins over unknown fields", req("schema_version", "2", "priority", "\"high\""),
                UNSUPPORTED_VERSION, "schema_version");
        bad("schema_version 2 wins over a bad text", req("text", q(""), "schema_version", "2"), UNSUPPORTED_VERSION);
        bad("integer field given 2.5", req("top_k", "2.5"), SCHEMA_VIOLATION, "top_k");
        bad("integer field given 1e-1", req("top_k", "1e-1"), SCHEMA_VIOLATION, "top_k");
    }

    /** Extra fields that make a boundary value of {@code field} valid on its own. */
    private static String[] context(RequestField field) {
        return switch (field) {
            case NUM_BEAMS -> new String[]{"decoding", q("beam"), "num_return_sequences", "1"};
            case MIN_LENGTH -> new String[]{"max_length", "512"};
            default -> new String[0];
        };
    }

    private void okIn(String name, String[] context, RequestField field, String value) {
        ok(name, req(with(context, field.wireName(), value)));
    }

    private void outOfRange(String name, String[] context, RequestField field, String value) {
        bad(name, req(with(context, field.wireName(), value)), PARAM_OUT_OF_RANGE, field.wireName());
    }

    // ---- the rules of each field ------------------------------------------------------------

    private void fieldRules() {
        // id
        bad("id empty", req("id", q("")), SCHEMA_VIOLATION, "id");
        bad("id of 129 characters", req("id", q("a".repeat(129))), SCHEMA_VIOLATION, "id");
        bad("id with a space", req("id", q("a b")), SCHEMA_VIOLATION, "id");
        bad("id with a slash", req("id", q("a/b")), SCHEMA_VIOLATION, "id");
        bad("id with a trailing newline", req("id", q("abc\\n")), SCHEMA_VIOLATION, "id");
        bad("id with umlaut", req("id", q("über")), SCHEMA_VIOLATION, "id");
        bad("id with NUL", req("id", q("a\\u0000")), SCHEMA_VIOLATION, "id");
        bad("id with emoji", req("id", q("id😀")), SCHEMA_VIOLATION, "id");
        bad("id not trimmed", req("id", q(" r1")), SCHEMA_VIOLATION, "id");
        missingId("no id, no key", obj("text", q(TEXT)), null);
        missingId("null id, no key", obj("id", "null", "text", q(TEXT)), null);
        missingId("no id, key with a space", obj("text", q(TEXT)), "bad key");
        missingId("no id, empty key", obj("text", q(TEXT)), "");
        missingId("no id, key of 200 characters", obj("text", q(TEXT)), "k".repeat(200));
        missingId("no id, key with emoji", obj("text", q(TEXT)), "key😀");
        // text / texts
        bad("text empty", req("text", q("")), EMPTY_TEXT, "text");
        bad("text blanks", req("text", q("    ")), EMPTY_TEXT, "text", Divergence.TRIMMED_EMPTY);
        bad("text of ideographic spaces", req("text", q("\u3000\u3000")), EMPTY_TEXT, "text", Divergence.TRIMMED_EMPTY);
        bad("text of escaped newlines and tabs", req("text", q("\\n\\t\\r")), EMPTY_TEXT, "text", Divergence.TRIMMED_EMPTY);
        bad("text 513 characters", req("text", q("字".repeat(513))), TEXT_TOO_LONG, "text");
        bad("text 513 emoji", req("text", q("😀".repeat(513))), TEXT_TOO_LONG, "text");
        bad("text 600 ASCII", req("text", q("a".repeat(600))), TEXT_TOO_LONG, "text");
        ok("text 512 padded to 520", req("text", q("    " + "字".repeat(512) + "    ")), Divergence.TRIMMED_FITS);
        bad("texts empty array", req("text", null, "texts", "[]"), EMPTY_TEXT, "texts");
        bad("texts with an empty text", req("text", null, "texts", "[\"a\",\"\"]"), EMPTY_TEXT, "texts[1]");
        bad("texts with a blank text", req("text", null, "texts", "[\"a\",\" \"]"), EMPTY_TEXT, "texts[1]", Divergence.TRIMMED_EMPTY);
        bad("texts with a long text", req("text", null, "texts", "[\"a\",\"" + "b".repeat(513) + "\"]"), TEXT_TOO_LONG, "texts[1]");
        bad("257 texts", req("text", null, "texts", array(257, "t")), TOO_MANY_TEXTS, "texts");
        bad("10000 texts", req("text", null, "texts", array(10_000, "")), TOO_MANY_TEXTS, "texts");
        bad("text and texts", req("texts", "[\"a\"]"), SCHEMA_VIOLATION, "texts");
        bad("neither text nor texts", req("text", null), SCHEMA_VIOLATION, "text");
        bad("text null, texts null", req("text", "null", "texts", "null"), SCHEMA_VIOLATION, "text");
        // task and labels
        bad("task capitalised", req("task", q("Augment")), UNSUPPORTED_TASK, "task");
        bad("task unknown", req("task", q("translate")), UNSUPPORTED_TASK, "task");
        bad("task empty", req("task", q("")), UNSUPPORTED_TASK, "task");
        bad("task with padding", req("task", q(" augment")), UNSUPPORTED_TASK, "task");
        bad("classify without labels", req("task", q("classify")), MISSING_LABELS, "labels");
        bad("classify with empty labels", req("task", q("classify"), "labels", "[]"), MISSING_LABELS, "labels");
        bad("classify with null labels", req("task", q("classify"), "labels", "null"), MISSING_LABELS, "labels");
        bad("65 labels", req("task", q("classify"), "labels", array(65, "l")), PARAM_OUT_OF_RANGE, "labels");
        bad("empty label", req("task", q("classify"), "labels", "[\"a\",\"\"]"), PARAM_OUT_OF_RANGE, "labels[1]");
        bad("blank label", req("task", q("classify"), "labels", "[\" \"]"), PARAM_OUT_OF_RANGE, "labels[0]", Divergence.TRIMMED_EMPTY);
        bad("label of 65 characters", req("task", q("classify"), "labels", "[\"" + "x".repeat(65) + "\"]"), PARAM_OUT_OF_RANGE, "labels[0]");
        // decoding
        bad("decoding capitalised", req("decoding", q("BEAM")), PARAM_OUT_OF_RANGE, "decoding");
        bad("decoding unknown", req("decoding", q("nucleus")), PARAM_OUT_OF_RANGE, "decoding");
        bad("greedy with 3 sequences", req("decoding", q("greedy"), "num_return_sequences", "3"), PARAM_OUT_OF_RANGE, "num_return_sequences");
        bad("sampling with 2 beams", req("num_beams", "2"), PARAM_OUT_OF_RANGE, "num_beams");
        bad("greedy with 4 beams", req("decoding", q("greedy"), "num_beams", "4"), PARAM_OUT_OF_RANGE, "num_beams");
        bad("custom task samples, so no beams", req("task", q("custom"), "num_beams", "3"), PARAM_OUT_OF_RANGE, "num_beams");
        bad("beam narrower than sequences", req("decoding", q("beam"), "num_return_sequences", "6", "num_beams", "4"),
                PARAM_OUT_OF_RANGE, "num_beams", Divergence.CROSS_FIELD);
        bad("zero-shot default beam narrower than sequences", req("task", q("title"), "num_beams", "2"),
                PARAM_OUT_OF_RANGE, "num_beams", Divergence.CROSS_FIELD);
        bad("min_length above max_length", req("min_length", "200", "max_length", "100"), PARAM_OUT_OF_RANGE, "min_length",
                Divergence.CROSS_FIELD);
        bad("min_length above the default max_length", req("min_length", "129"), PARAM_OUT_OF_RANGE, "min_length",
                Divergence.CROSS_FIELD);
        // reply_to
        bad("reply_to dot", req("reply_to", q(".")), SCHEMA_VIOLATION, "reply_to");
        bad("reply_to dot dot", req("reply_to", q("..")), SCHEMA_VIOLATION, "reply_to");
        bad("reply_to with a space", req("reply_to", q("my topic")), SCHEMA_VIOLATION, "reply_to");
        bad("reply_to with a colon", req("reply_to", q("a:b")), SCHEMA_VIOLATION, "reply_to");
        bad("reply_to empty", req("reply_to", q("")), SCHEMA_VIOLATION, "reply_to");
        bad("reply_to of 250 characters", req("reply_to", q("t".repeat(250))), SCHEMA_VIOLATION, "reply_to");
        bad("reply_to with a control character", req("reply_to", q("a\\u001fb")), SCHEMA_VIOLATION, "reply_to");
        // unknown and repeated fields
        bad("unknown field", req("txt", q("a")), SCHEMA_VIOLATION, "txt");
        bad("field name in another case", req("Text", q("a")), SCHEMA_VIOLATION, "Text");
        bad("empty field name", req("", q("a")), SCHEMA_VIOLATION, "");
        bad("HTTP-style max_tokens", req("max_tokens", "64"), SCHEMA_VIOLATION, "max_tokens");
        bad("unknown field with null value", req("priority", "null"), SCHEMA_VIOLATION, "priority");
        bad("field name of 2000 characters", req("f".repeat(2000), "1"), SCHEMA_VIOLATION);
        bad("unknown field holding an object", req("meta", "{\"a\":{\"b\":[1,2,3]}}"), SCHEMA_VIOLATION, "meta");
        bad("duplicate text", bytes("{\"id\":\"r1\",\"text\":\"a\",\"text\":\"b\"}"), SCHEMA_VIOLATION, "text", Divergence.DUPLICATE_KEY);
        bad("duplicate id", bytes("{\"id\":\"r1\",\"id\":\"r2\",\"text\":\"a\"}"), SCHEMA_VIOLATION, "id", Divergence.DUPLICATE_KEY);
        bad("duplicate texts after an array", bytes("{\"id\":\"r1\",\"texts\":[\"a\"],\"texts\":[\"b\"]}"), SCHEMA_VIOLATION,
                "texts", Divergence.DUPLICATE_KEY);
        bad("duplicate null field", bytes("{\"id\":\"r1\",\"text\":\"a\",\"seed\":null,\"seed\":null}"), SCHEMA_VIOLATION,
                "seed", Divergence.DUPLICATE_KEY);
        bad("duplicate inside an unknown field", bytes("{\"id\":\"r1\",\"text\":\"a\",\"x\":{\"k\":1,\"k\":2}}"), SCHEMA_VIOLATION, "x");
        // deadline
        bad("deadline 0", req("deadline_ms", "0"), PARAM_OUT_OF_RANGE, "deadline_ms");
        bad("deadline negative", req("deadline_ms", "-5"), PARAM_OUT_OF_RANGE, "deadline_ms");
    }

    // ---- bytes and characters ---------------------------------------------------------------

    private void unicode() {
        String prefix = "{\"id\":\"r1\",\"text\":\"";
        String suffix = "\"}";
        byte[][] invalid = {
                {(byte) 0x80},                                  // lone continuation byte
                {(byte) 0xBF, (byte) 0xBF},                      // continuation bytes only
                {(byte) 0xC0, (byte) 0xAF},                      // overlong '/'
                {(byte) 0xC1, (byte) 0xBF},                      // overlong
                {(byte) 0xE0, (byte) 0x80, (byte) 0xAF},         // overlong 3-byte
                {(byte) 0xF0, (byte) 0x80, (byte) 0x80, (byte) 0xAF}, // overlong 4-byte
                {(byte) 0xED, (byte) 0xA0, (byte) 0x80},         // encoded high surrogate (CESU-8)
                {(byte) 0xED, (byte) 0xBF, (byte) 0xBF},         // encoded low surrogate
                {(byte) 0xED, (byte) 0xA0, (byte) 0xBD, (byte) 0xED, (byte) 0xB8, (byte) 0x80}, // CESU-8 emoji
                {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80}, // above U+10FFFF
                {(byte) 0xF5, (byte) 0x80, (byte) 0x80, (byte) 0x80},
                {(byte) 0xFE}, {(byte) 0xFF},
                {(byte) 0xC3, 'a'},                              // lead byte then ASCII
                {(byte) 0xE4, (byte) 0xBD},                      // 3-byte sequence cut short
                {(byte) 0xE9},                                   // Latin-1 é
        };
        for (int i = 0; i < invalid.length; i++) {
            bad("invalid UTF-8 #" + i + " in text", concat(bytes(prefix), invalid[i], bytes(suffix)), NOT_UTF8, null, Divergence.BYTES);
        }
        bad("invalid UTF-8 at the very end", concat(bytes(req()), new byte[]{(byte) 0xC3}), NOT_UTF8, null, Divergence.BYTES);
        bad("invalid UTF-8 in a field name", concat(bytes("{\"id\":\"r1\",\"text\":\"a\",\""), new byte[]{(byte) 0xFF},
                bytes("\":1}")), NOT_UTF8, null, Divergence.BYTES);
        bad("UTF-16LE with BOM", concat(new byte[]{(byte) 0xFF, (byte) 0xFE}, req().getBytes(StandardCharsets.UTF_16LE)),
                NOT_UTF8, null, Divergence.BYTES);
        bad("UTF-16BE with BOM", req().getBytes(StandardCharsets.UTF_16), NOT_UTF8, null, Divergence.BYTES);
        String ascii = req("text", q("hello"));
        bad("UTF-16LE without BOM (NUL bytes are valid UTF-8, the JSON is not)", ascii.getBytes(StandardCharsets.UTF_16LE),
                MALFORMED_JSON, null, Divergence.BYTES);
        bad("UTF-32BE", ascii.getBytes(java.nio.charset.Charset.forName("UTF-32BE")), MALFORMED_JSON, null, Divergence.BYTES);
        bad("Latin-1 encoded Chinese is not possible, GBK is not UTF-8", concat(bytes(prefix),
                "你好".getBytes(java.nio.charset.Charset.forName("GBK")), bytes(suffix)), NOT_UTF8, null, Divergence.BYTES);
        // Escaped surrogates are valid JSON but not valid Unicode.
        for (String s : List.of("\\ud800", "\\udbff", "\\udc00", "\\udfff", "a\\ud83d", "\\ude00\\ud83d", "\\ud83d\\ud83d", "x\\ud800y")) {
            bad("unpaired surrogate " + s + " in text", req("text", q(s)), NOT_UTF8, "text", Divergence.UNPAIRED_SURROGATE);
        }
        bad("unpaired surrogate in texts[2]", req("text", null, "texts", "[\"a\",\"b\",\"\\udc00\"]"), NOT_UTF8, "texts[2]",
                Divergence.UNPAIRED_SURROGATE);
        bad("unpaired surrogate in a label", req("task", q("classify"), "labels", "[\"\\ud800\"]"), NOT_UTF8, "labels[0]",
                Divergence.UNPAIRED_SURROGATE);
        bad("unpaired surrogate in id", req("id", q("a\\ud800")), SCHEMA_VIOLATION, "id");
        bad("unpaired surrogate in task", req("task", q("\\ud800")), UNSUPPORTED_TASK, "task");
        // Jackson checks surrogates in field names while parsing.
        bad("unpaired surrogate in a field name", req("\\ud800", "1"), MALFORMED_JSON);
    }

    // ---- sizes and depth --------------------------------------------------------------------

    private void sizesAndNesting() {
        String tenMb = "a".repeat(10 * 1024 * 1024);
        bad("10 MB text", req("text", q(tenMb)), RECORD_TOO_LARGE, null, Divergence.BYTES);
        HostileCase big = new HostileCase("10 MB text under a 16 MiB limit", bytes(req("text", q(tenMb))), null, 16 << 20,
                TEXT_TOO_LONG, "text", Divergence.NONE);
        cases.add(big);
        cases.add(new HostileCase("10 MB unknown field under a 16 MiB limit", bytes(req("blob", q(tenMb))), null, 16 << 20,
                SCHEMA_VIOLATION, "blob", Divergence.NONE));
        bad("10 MB of whitespace", bytes(" ".repeat(10 * 1024 * 1024)), RECORD_TOO_LARGE, null, Divergence.BYTES);
        String exact = padTo(req(), DEFAULT_LIMIT);
        ok("exactly the byte limit", bytes(exact), Divergence.BYTES);
        bad("one byte over the limit", bytes(exact + " "), RECORD_TOO_LARGE, null, Divergence.BYTES);
        bad("120,000 texts, over 1 MiB", req("text", null, "texts", array(120_000, "x")), RECORD_TOO_LARGE, null, Divergence.BYTES);
        int deep = 100_000;
        bad("arrays nested 100,000 deep", bytes("[".repeat(deep) + "]".repeat(deep)), SCHEMA_VIOLATION);
        bad("arrays nested 100,000 deep, unterminated", bytes("[".repeat(deep)), SCHEMA_VIOLATION);
        bad("objects nested 100,000 deep", bytes("{\"a\":".repeat(deep) + "1" + "}".repeat(deep)), SCHEMA_VIOLATION);
        bad("text nested 100,000 deep", req("text", "[".repeat(deep) + "]".repeat(deep)), SCHEMA_VIOLATION);
        bad("unknown field nested 100,000 deep", req("x", "[".repeat(deep) + "]".repeat(deep)), SCHEMA_VIOLATION);
        bad("nested 33 deep in an unknown field", req("x", "[".repeat(32) + "]".repeat(32)), SCHEMA_VIOLATION);
        bad("nested 31 deep in an unknown field", req("x", "[".repeat(30) + "]".repeat(30)), SCHEMA_VIOLATION, "x");
        bad("30,000 numbers in an unknown field", req("x", array(30_000, null)), SCHEMA_VIOLATION);
    }

    // ---- helpers ----------------------------------------------------------------------------

    private void ok(String name, String json) {
        ok(name, bytes(json), Divergence.NONE);
    }

    private void ok(String name, String json, Divergence divergence) {
        ok(name, bytes(json), divergence);
    }

    private void ok(String name, byte[] value) {
        ok(name, value, Divergence.NONE);
    }

    private void ok(String name, byte[] value, Divergence divergence) {
        cases.add(new HostileCase(name, value, null, DEFAULT_LIMIT, null, null, divergence));
    }

    private void ok(String name, byte[] value, String key, int limit) {
        cases.add(new HostileCase(name, value, key, limit, null, null, Divergence.NONE));
    }

    private void missingId(String name, String json, String key) {
        cases.add(new HostileCase(name, bytes(json), key, DEFAULT_LIMIT, MISSING_ID, "id", Divergence.ID_FROM_KEY));
    }

    private void bad(String name, String json, ErrorCode code) {
        bad(name, bytes(json), code, null, Divergence.NONE);
    }

    private void bad(String name, String json, ErrorCode code, String field) {
        bad(name, bytes(json), code, field, Divergence.NONE);
    }

    private void bad(String name, String json, ErrorCode code, String field, Divergence divergence) {
        bad(name, bytes(json), code, field, divergence);
    }

    private void bad(String name, byte[] value, ErrorCode code) {
        bad(name, value, code, null, Divergence.NONE);
    }

    private void bad(String name, byte[] value, ErrorCode code, Divergence divergence) {
        bad(name, value, code, null, divergence);
    }

    private void bad(String name, byte[] value, ErrorCode code, String field) {
        bad(name, value, code, field, Divergence.NONE);
    }

    private void bad(String name, byte[] value, ErrorCode code, String field, Divergence divergence) {
        cases.add(new HostileCase(name, value, null, DEFAULT_LIMIT, code, field, divergence));
    }

    /** A request with id "r1" and a Chinese text, with fields replaced (a null value removes the field). */
    public static String req(String... nameValuePairs) {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("id", q("r1"));
        fields.put("text", q(TEXT));
        for (int i = 0; i < nameValuePairs.length; i += 2) {
            if (nameValuePairs[i + 1] == null) fields.remove(nameValuePairs[i]);
            else fields.put(nameValuePairs[i], nameValuePairs[i + 1]);
        }
        StringBuilder sb = new StringBuilder("{");
        fields.forEach((k, v) -> sb.append(sb.length() > 1 ? "," : "").append(q(k)).append(':').append(v));
        return sb.append('}').toString();
    }

    /** An object of exactly these fields. */
    public static String obj(String... nameValuePairs) {
        StringBuilder sb = new StringBuilder("{");
        for (int i = 0; i < nameValuePairs.length; i += 2) {
            sb.append(i > 0 ? "," : "").append(q(nameValuePairs[i])).append(':').append(nameValuePairs[i + 1]);
        }
        return sb.append('}').toString();
    }

    /** A JSON string literal; the content is inserted as written (escapes stay escapes). */
    public static String q(String s) {
        return "\"" + s + "\"";
    }

    /** {@code n} strings "prefix0", "prefix1", ... or, with a null prefix, the numbers 0..n-1. */
    public static String array(int n, String prefix) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < n; i++) {
            if (i > 0) sb.append(',');
            sb.append(prefix == null ? Integer.toString(i) : q(prefix + i));
        }
        return sb.append(']').toString();
    }

    private static String[] with(String[] context, String name, String value) {
        String[] all = java.util.Arrays.copyOf(context, context.length + 2);
        all[context.length] = name;
        all[context.length + 1] = value;
        return all;
    }

    private static String plain(double d) {
        return d == Math.rint(d) ? Long.toString((long) d) + ".0" : Double.toString(d);
    }

    private static String padTo(String json, int bytes) {
        int pad = bytes - json.getBytes(StandardCharsets.UTF_8).length;
        return json.substring(0, json.length() - 1) + " ".repeat(pad) + "}";
    }

    public static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    public static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) out.writeBytes(p);
        return out.toByteArray();
    }

    /** Cuts byte arrays, possibly inside a multi-byte character. */
    static final class Truncation {
        private Truncation() {
        }

        /** The first {@code n} bytes, then the closing of the JSON string and object. */
        static byte[] cutBytes(byte[] value, int n) {
            return concat(java.util.Arrays.copyOf(value, n), bytes("\"}"));
        }
    }
}
