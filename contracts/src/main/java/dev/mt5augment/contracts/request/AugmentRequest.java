package dev.mt5augment.contracts.request;

import dev.mt5augment.contracts.error.InvalidRequestException;
import dev.mt5augment.contracts.task.Task;

import java.util.List;
import java.util.Objects;

/**
 * A v1 request, normalised: texts trimmed, every default filled in. An instance is always valid:
 * the constructor checks every rule and throws {@link InvalidRequestException} otherwise. Build
 * one with {@link #builder()}, or decode one with {@code RequestDecoder}.
 *
 * @param id                 1–128 characters of {@code [A-Za-z0-9._:-]}; the record key when the payload has none
 * @param texts              1–256 texts, each 1–512 code points after trimming; a single {@code text} becomes one
 * @param task               what to do with each text
 * @param labels             candidate labels (needed by {@code classify}, carried through by the others), maybe empty
 * @param decoding           how tokens are chosen
 * @param numReturnSequences variants per text, 1–10
 * @param numBeams           beam width, 1–16; 1 unless decoding is beam, then at least {@code numReturnSequences}
 * @param temperature        sampling temperature in (0, 2]; only used when sampling
 * @param topP               nucleus mass in (0, 1]; only used when sampling
 * @param topK               top-k filter, 0–1000 (0 = off); only used when sampling
 * @param maxLength          new tokens at most, 1–512
 * @param minLength          new tokens at least, 0–{@code maxLength}
 * @param repetitionPenalty  CTRL penalty in (0, 10]; 1 = off
 * @param noRepeatNgramSize  forbidden repeated n-gram size, 0–10 (0 = off)
 * @param dedupe             drop duplicate variants and variants equal to their input
 * @param seed               RNG seed; {@code null} lets the worker choose
 * @param replyTo            topic for the result; {@code null} for the worker's default
 * @param deadlineMs         time budget from the record timestamp, 1–3,600,000; {@code null} for none
 * @param schemaVersion      always 1
 */
public record AugmentRequest(
        String id,
        List<String> texts,
        Task task,
        List<String> labels,
        Decoding decoding,
        int numReturnSequences,
        int numBeams,
        double temperature,
        double topP,
        int topK,
        int maxLength,
        int minLength,
        double repetitionPenalty,
        int noRepeatNgramSize,
        boolean dedupe,
        Long seed,
        String replyTo,
        Integer deadlineMs,
        int schemaVersion) {

    public AugmentRequest {
        RequestRules.checkId(id);
        texts = TextRules.texts(Objects.requireNonNull(texts, "texts"));
        Objects.requireNonNull(task, "task");
        labels = TextRules.labels(labels, task);
        Objects.requireNonNull(decoding, "decoding");
        RequestLimits.NUM_RETURN_SEQUENCES.check(numReturnSequences);
        RequestLimits.TOP_K.check(topK);
        RequestLimits.MAX_LENGTH.check(maxLength);
        RequestLimits.MIN_LENGTH.check(minLength);
        if (deadlineMs != null) RequestLimits.DEADLINE_MS.check(deadlineMs);
        RequestLimits.NUM_BEAMS.check(numBeams);
        RequestLimits.NO_REPEAT_NGRAM_SIZE.check(noRepeatNgramSize);
        RequestLimits.TEMPERATURE.check(temperature);
        RequestLimits.TOP_P.check(topP);
        RequestLimits.REPETITION_PENALTY.check(repetitionPenalty);
        RequestRules.checkReplyTo(replyTo);
        RequestRules.checkSchemaVersion(schemaVersion);
        // Cross-field rules last, once every field is known to be in range.
        RequestRules.checkDecoding(decoding, numReturnSequences, numBeams);
        RequestRules.checkLengths(maxLength, minLength);
    }

    /** A builder with nothing set; {@link Builder#build()} fills the documented defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding this request's values. */
    public Builder toBuilder() {
        Builder b = new Builder().id(id).texts(texts).task(task).labels(labels).decoding(decoding)
                .numReturnSequences(numReturnSequences).numBeams(numBeams).temperature(temperature).topP(topP)
                .topK(topK).maxLength(maxLength).minLength(minLength).repetitionPenalty(repetitionPenalty)
                .noRepeatNgramSize(noRepeatNgramSize).dedupe(dedupe).seed(seed).replyTo(replyTo)
                .schemaVersion(schemaVersion);
        if (deadlineMs != null) b.deadlineMs(deadlineMs);
        return b;
    }

    /**
     * Collects raw values (each may be left unset) and normalises them with {@link #build()}.
     * The JSON decoder fills one from the payload, so Java producers and the wire share the rules.
     * Not thread-safe.
     */
    public static final class Builder {
        String recordKey;
        String id;
        String text;
        List<String> texts;
        String task;
        List<String> labels;
        String decoding;
        Long numReturnSequences;
        Long numBeams;
        Double temperature;
        Double topP;
        Long topK;
        Long maxLength;
        Long minLength;
        Double repetitionPenalty;
        Long noRepeatNgramSize;
        Boolean dedupe;
        Long seed;
        String replyTo;
        Long deadlineMs;
        Long schemaVersion;

        Builder() {
        }

        /** The Kafka record key; it becomes the id when {@link #id(String)} is not set. */
        public Builder recordKey(String key) { recordKey = key; return this; }
        public Builder id(String v) { id = v; return this; }
        /** One text; mutually exclusive with {@link #texts(List)}. */
        public Builder text(String v) { text = v; return this; }
        public Builder texts(List<String> v) { texts = v; return this; }
        public Builder task(Task v) { task = v == null ? null : v.wireName(); return this; }
        /** A task by wire name; an unknown one fails {@link #build()} with UNSUPPORTED_TASK. */
        public Builder task(String wireName) { task = wireName; return this; }
        public Builder labels(List<String> v) { labels = v; return this; }
        public Builder decoding(Decoding v) { decoding = v == null ? null : v.wireName(); return this; }
        /** A decoding by wire name; an unknown one fails {@link #build()} with PARAM_OUT_OF_RANGE. */
        public Builder decoding(String wireName) { decoding = wireName; return this; }
        public Builder numReturnSequences(long v) { numReturnSequences = v; return this; }
        public Builder numBeams(long v) { numBeams = v; return this; }
        public Builder temperature(double v) { temperature = v; return this; }
        public Builder topP(double v) { topP = v; return this; }
        public Builder topK(long v) { topK = v; return this; }
        public Builder maxLength(long v) { maxLength = v; return this; }
        public Builder minLength(long v) { minLength = v; return this; }
        public Builder repetitionPenalty(double v) { repetitionPenalty = v; return this; }
        public Builder noRepeatNgramSize(long v) { noRepeatNgramSize = v; return this; }
        public Builder dedupe(boolean v) { dedupe = v; return this; }
        public Builder seed(Long v) { seed = v; return this; }
        public Builder replyTo(String v) { replyTo = v; return this; }
        public Builder deadlineMs(long v) { deadlineMs = v; return this; }
        public Builder schemaVersion(long v) { schemaVersion = v; return this; }

        /**
         * The normalised request.
         *
         * @throws InvalidRequestException with the first rule that fails, in the order of
         *                                 {@link RequestNormalizer}
         */
        public AugmentRequest build() {
            return RequestNormalizer.normalize(this);
        }
    }
}
