package dev.mt5augment.contracts.codec;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonFactoryBuilder;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.json.JsonReadFeature;

/**
 * Bounds on what the JSON reader accepts, so hostile input costs bounded time and memory. A valid
 * request nests two levels deep and has well under a thousand tokens; these limits leave room for
 * unknown fields to be reported by name.
 */
final class ReaderLimits {

    /** Objects and arrays, counting the request object itself. */
    static final int MAX_NESTING_DEPTH = 32;
    /** Tokens in the whole document; 256 texts and 64 labels take about 350. */
    static final long MAX_TOKENS = 20_000;
    /** Digits of one number; longer numbers are never in range. */
    static final int MAX_NUMBER_CHARS = 1_000;
    /** Characters of a field name. */
    static final int MAX_NAME_CHARS = 1_024;

    private ReaderLimits() {
    }

    /**
     * A strict parser factory: no comments, single quotes, NaN/Infinity, leading zeros or trailing
     * commas (Jackson's defaults, stated here so nobody relaxes them by accident).
     */
    static JsonFactory factory(int maxStringChars, boolean strictDuplicates) {
        JsonFactoryBuilder b = new JsonFactoryBuilder()
                .streamReadConstraints(StreamReadConstraints.builder()
                        .maxNestingDepth(MAX_NESTING_DEPTH)
                        .maxTokenCount(MAX_TOKENS)
                        .maxNumberLength(MAX_NUMBER_CHARS)
                        .maxNameLength(MAX_NAME_CHARS)
                        .maxStringLength(maxStringChars)
                        .maxDocumentLength(maxStringChars)
                        .build())
                .disable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
                .disable(JsonReadFeature.ALLOW_JAVA_COMMENTS)
                .disable(JsonReadFeature.ALLOW_SINGLE_QUOTES)
                .disable(JsonReadFeature.ALLOW_UNQUOTED_FIELD_NAMES)
                .disable(JsonReadFeature.ALLOW_LEADING_ZEROS_FOR_NUMBERS)
                .disable(JsonReadFeature.ALLOW_TRAILING_COMMA)
                .disable(JsonReadFeature.ALLOW_UNESCAPED_CONTROL_CHARS);
        if (strictDuplicates) b.enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION);
        return b.build();
    }
}
