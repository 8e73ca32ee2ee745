package dev.mt5augment.contracts.request;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/** The top-level fields of a v1 request: wire name and JSON type. Any other field is refused. */
public enum RequestField {
    ID("id", JsonKind.STRING),
    TEXT("text", JsonKind.STRING),
    TEXTS("texts", JsonKind.STRING_ARRAY),
    TASK("task", JsonKind.STRING),
    NUM_RETURN_SEQUENCES("num_return_sequences", JsonKind.INTEGER),
    TEMPERATURE("temperature", JsonKind.NUMBER),
    TOP_P("top_p", JsonKind.NUMBER),
    TOP_K("top_k", JsonKind.INTEGER),
    MAX_LENGTH("max_length", JsonKind.INTEGER),
    MIN_LENGTH("min_length", JsonKind.INTEGER),
    SEED("seed", JsonKind.INTEGER),
    REPLY_TO("reply_to", JsonKind.STRING),
    LABELS("labels", JsonKind.STRING_ARRAY),
    DEADLINE_MS("deadline_ms", JsonKind.INTEGER),
    SCHEMA_VERSION("schema_version", JsonKind.INTEGER),
    DECODING("decoding", JsonKind.STRING),
    NUM_BEAMS("num_beams", JsonKind.INTEGER),
    DEDUPE("dedupe", JsonKind.BOOLEAN),
    REPETITION_PENALTY("repetition_penalty", JsonKind.NUMBER),
    NO_REPEAT_NGRAM_SIZE("no_repeat_ngram_size", JsonKind.INTEGER);

    /** The JSON type a field's value must have ({@code null} always means "absent"). */
    public enum JsonKind {
        STRING("a string"),
        STRING_ARRAY("an array of strings"),
        /** A number with no fractional part; {@code 3.0} and {@code 3e0} count as 3. */
        INTEGER("an integer"),
        NUMBER("a number"),
        BOOLEAN("true or false");

        private final String description;

        JsonKind(String description) {
            this.description = description;
        }

        /** For error messages: "must be an integer". */
        public String description() {
            return description;
        }
    }

    private static final Map<String, RequestField> BY_WIRE_NAME = new HashMap<>();

    static {
        for (RequestField f : values()) BY_WIRE_NAME.put(f.wireName, f);
    }

    private final String wireName;
    private final JsonKind kind;

    RequestField(String wireName, JsonKind kind) {
        this.wireName = wireName;
        this.kind = kind;
    }

    public String wireName() {
        return wireName;
    }

    public JsonKind kind() {
        return kind;
    }

    /** {@code "texts[3]"}: how errors name an item of a list field. */
    public String item(int index) {
        return wireName + "[" + index + "]";
    }

    public static Optional<RequestField> fromWireName(String name) {
        return Optional.ofNullable(BY_WIRE_NAME.get(name));
    }
}
