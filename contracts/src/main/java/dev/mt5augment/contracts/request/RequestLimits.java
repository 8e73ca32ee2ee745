package dev.mt5augment.contracts.request;

/**
 * Every limit of a v1 request, in one place. The JSON Schema
 * ({@code schemas/augment-request.v1.schema.json}) and the README repeat these numbers; a test
 * keeps them in step.
 */
public final class RequestLimits {

    /** {@code id}: 1 to 128 characters of {@code [A-Za-z0-9._:-]}; never trimmed. */
    public static final int ID_MAX_CHARS = 128;
    public static final String ID_PATTERN = "^[A-Za-z0-9._:-]{1," + ID_MAX_CHARS + "}$";

    /** At most this many texts per request. */
    public static final int MAX_TEXTS = 256;
    /** A text has 1 to 512 Unicode code points after trimming (an emoji counts once). */
    public static final int MAX_TEXT_CODE_POINTS = 512;

    /** At most this many labels. */
    public static final int MAX_LABELS = 64;
    /** A label has 1 to 64 Unicode code points after trimming. */
    public static final int MAX_LABEL_CODE_POINTS = 64;

    /** The only schema version this contract reads. */
    public static final int SCHEMA_VERSION = 1;

    public static final IntRange NUM_RETURN_SEQUENCES = new IntRange(RequestField.NUM_RETURN_SEQUENCES, 1, 10);
    public static final NumberRange TEMPERATURE = new NumberRange(RequestField.TEMPERATURE, 0.0, 2.0);
    public static final NumberRange TOP_P = new NumberRange(RequestField.TOP_P, 0.0, 1.0);
    /** 0 turns top-k filtering off. */
    public static final IntRange TOP_K = new IntRange(RequestField.TOP_K, 0, 1000);
    /** New tokens, the start token not counted. */
    public static final IntRange MAX_LENGTH = new IntRange(RequestField.MAX_LENGTH, 1, 512);
    /** New tokens before {@code </s>} is allowed; also at most {@code max_length}. */
    public static final IntRange MIN_LENGTH = new IntRange(RequestField.MIN_LENGTH, 0, 512);
    public static final IntRange SEED = new IntRange(RequestField.SEED, Long.MIN_VALUE, Long.MAX_VALUE);
    /** Time budget from the record's timestamp. */
    public static final IntRange DEADLINE_MS = new IntRange(RequestField.DEADLINE_MS, 1, 3_600_000);
    /** Beam width; also at least {@code num_return_sequences}; must be 1 unless decoding is beam. */
    public static final IntRange NUM_BEAMS = new IntRange(RequestField.NUM_BEAMS, 1, 16);
    public static final NumberRange REPETITION_PENALTY = new NumberRange(RequestField.REPETITION_PENALTY, 0.0, 10.0);
    /** 0 turns the n-gram ban off. */
    public static final IntRange NO_REPEAT_NGRAM_SIZE = new IntRange(RequestField.NO_REPEAT_NGRAM_SIZE, 0, 10);

    private RequestLimits() {
    }

    /** The range of an integer field; {@code schema_version} has none (any other value is unsupported). */
    public static java.util.Optional<IntRange> intRange(RequestField field) {
        return java.util.Optional.ofNullable(switch (field) {
            case NUM_RETURN_SEQUENCES -> NUM_RETURN_SEQUENCES;
            case TOP_K -> TOP_K;
            case MAX_LENGTH -> MAX_LENGTH;
            case MIN_LENGTH -> MIN_LENGTH;
            case SEED -> SEED;
            case DEADLINE_MS -> DEADLINE_MS;
            case NUM_BEAMS -> NUM_BEAMS;
            case NO_REPEAT_NGRAM_SIZE -> NO_REPEAT_NGRAM_SIZE;
            default -> null;
        });
    }
}
