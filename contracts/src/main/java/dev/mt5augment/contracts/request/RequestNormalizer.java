package dev.mt5augment.contracts.request;

import dev.mt5augment.contracts.error.ErrorCode;
import dev.mt5augment.contracts.error.InvalidRequestException;
import dev.mt5augment.contracts.error.Quoting;
import dev.mt5augment.contracts.task.Task;

import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Turns raw builder values into an {@link AugmentRequest}: resolves the id, fills defaults, trims,
 * and checks in a fixed order so that the same payload always gets the same code:
 * {@code schema_version}, {@code id}, {@code text}/{@code texts}, {@code task}, {@code labels},
 * {@code decoding}, the integer parameters (field order of {@link RequestField}), the real-valued
 * ones, then (in the {@link AugmentRequest} constructor) {@code reply_to} and the cross-field rules:
 * greedy/beam against {@code num_return_sequences}/{@code num_beams}, {@code min_length} against
 * {@code max_length}.
 */
final class RequestNormalizer {

    private RequestNormalizer() {
    }

    static AugmentRequest normalize(AugmentRequest.Builder b) {
        long schemaVersion = b.schemaVersion == null ? RequestLimits.SCHEMA_VERSION : b.schemaVersion;
        RequestRules.checkSchemaVersion(schemaVersion);

        String id = resolveId(b.id, b.recordKey);
        List<String> texts = texts(b.text, b.texts);
        Task task = b.task == null ? RequestDefaults.TASK : Task.fromWireName(b.task).orElseThrow(() ->
                new InvalidRequestException(ErrorCode.UNSUPPORTED_TASK, RequestField.TASK.wireName(),
                        "task " + Quoting.quote(b.task) + " is not supported; tasks are "
                                + Arrays.stream(Task.values()).map(Task::wireName).collect(Collectors.joining(", "))));
        List<String> labels = TextRules.labels(b.labels, task);
        Decoding decoding = b.decoding == null ? RequestDefaults.decoding(task) : Decoding.fromWireName(b.decoding).orElseThrow(() ->
                new InvalidRequestException(ErrorCode.PARAM_OUT_OF_RANGE, RequestField.DECODING.wireName(),
                        "decoding must be one of sample, greedy, beam, got " + Quoting.quote(b.decoding)));

        int numReturnSequences = b.numReturnSequences == null ? RequestDefaults.numReturnSequences(decoding)
                : RequestLimits.NUM_RETURN_SEQUENCES.check(b.numReturnSequences);
        int topK = b.topK == null ? RequestDefaults.TOP_K : RequestLimits.TOP_K.check(b.topK);
        int maxLength = b.maxLength == null ? RequestDefaults.MAX_LENGTH : RequestLimits.MAX_LENGTH.check(b.maxLength);
        int minLength = b.minLength == null ? RequestDefaults.MIN_LENGTH : RequestLimits.MIN_LENGTH.check(b.minLength);
        Integer deadlineMs = b.deadlineMs == null ? null : RequestLimits.DEADLINE_MS.check(b.deadlineMs);
        int numBeams = b.numBeams == null ? RequestDefaults.numBeams(decoding, numReturnSequences)
                : RequestLimits.NUM_BEAMS.check(b.numBeams);
        int noRepeatNgramSize = b.noRepeatNgramSize == null ? RequestDefaults.NO_REPEAT_NGRAM_SIZE
                : RequestLimits.NO_REPEAT_NGRAM_SIZE.check(b.noRepeatNgramSize);
        double temperature = b.temperature == null ? RequestDefaults.TEMPERATURE : RequestLimits.TEMPERATURE.check(b.temperature);
        double topP = b.topP == null ? RequestDefaults.TOP_P : RequestLimits.TOP_P.check(b.topP);
        double repetitionPenalty = b.repetitionPenalty == null ? RequestDefaults.REPETITION_PENALTY
                : RequestLimits.REPETITION_PENALTY.check(b.repetitionPenalty);
        boolean dedupe = b.dedupe == null ? RequestDefaults.DEDUPE : b.dedupe;

        // The constructor checks reply_to and the cross-field rules, and re-checks the rest (cheaply).
        return new AugmentRequest(id, texts, task, labels, decoding, numReturnSequences, numBeams, temperature, topP,
                topK, maxLength, minLength, repetitionPenalty, noRepeatNgramSize, dedupe, b.seed, b.replyTo,
                deadlineMs, (int) schemaVersion);
    }

    /** The payload's id when present; else the record key when it is a valid id. */
    private static String resolveId(String id, String recordKey) {
        if (id != null) {
            RequestRules.checkId(id);
            return id;
        }
        if (recordKey == null) {
            throw new InvalidRequestException(ErrorCode.MISSING_ID, RequestField.ID.wireName(),
                    "the request has no id and the record has no key to use instead");
        }
        if (!RequestId.isValid(recordKey)) {
            throw new InvalidRequestException(ErrorCode.MISSING_ID, RequestField.ID.wireName(),
                    "the request has no id and the record key " + Quoting.quote(recordKey)
                            + " is not a valid id (1 to " + RequestLimits.ID_MAX_CHARS + " characters of [A-Za-z0-9._:-])");
        }
        return recordKey;
    }

    private static List<String> texts(String text, List<String> texts) {
        if (text != null && texts != null) {
            throw new InvalidRequestException(ErrorCode.SCHEMA_VIOLATION, RequestField.TEXTS.wireName(),
                    "give either text or texts, not both");
        }
        if (text != null) return List.of(TextRules.text(text));
        if (texts != null) return TextRules.texts(texts);
        throw new InvalidRequestException(ErrorCode.SCHEMA_VIOLATION, RequestField.TEXT.wireName(),
                "the request has no text: give text (one string) or texts (an array of strings)");
    }
}
