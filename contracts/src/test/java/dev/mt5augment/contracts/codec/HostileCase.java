package dev.mt5augment.contracts.codec;

import dev.mt5augment.contracts.error.ErrorCode;

import java.nio.charset.StandardCharsets;

/**
 * One input of the hostile corpus and the verdict the contract promises for it.
 *
 * @param name           what the case is, for the test report
 * @param value          the record value bytes
 * @param key            the record key, or null
 * @param maxRecordBytes the decoder's byte limit for this case
 * @param expected       the error code, or null when the request is valid
 * @param expectedField  the field the error must name, or null not to check
 * @param divergence     how the JSON Schema's verdict differs from the codec's, by design
 */
public record HostileCase(String name, byte[] value, String key, int maxRecordBytes, ErrorCode expected, String expectedField,
                   Divergence divergence) {

    /** Why the JSON Schema cannot give the codec's verdict for a case (see the README). */
    public enum Divergence {
        /** Schema and codec agree. */
        NONE,
        /** Decided on bytes before any JSON (size, UTF-8, BOM); the schema sees parsed JSON only. */
        BYTES,
        /** A string that is empty after trimming: the schema counts before trimming and accepts. */
        TRIMMED_EMPTY,
        /** A string over the limit only because of white space around it: the schema rejects, the codec trims and accepts. */
        TRIMMED_FITS,
        /** An escaped unpaired surrogate: the schema cannot see it. */
        UNPAIRED_SURROGATE,
        /** A key given twice: parsers keep one value, the schema never sees the other. */
        DUPLICATE_KEY,
        /** No id and no usable record key: the schema cannot know the key. */
        ID_FROM_KEY,
        /** num_beams >= num_return_sequences, min_length <= max_length: comparisons between fields. */
        CROSS_FIELD;

        /** True when the schema accepts what the codec rejects. */
        public boolean schemaAcceptsCodecRejects() {
            return this != NONE && this != BYTES && this != TRIMMED_FITS;
        }
    }

    public String text() {
        return new String(value, StandardCharsets.UTF_8);
    }

    public boolean valid() {
        return expected == null;
    }

    @Override
    public String toString() {
        return name;
    }
}
