package dev.mt5augment.contracts.request;

import dev.mt5augment.contracts.task.Task;

/** What a v1 request gets for a field it leaves out (or sets to {@code null}). */
public final class RequestDefaults {

    public static final Task TASK = Task.AUGMENT;
    /** For greedy decoding the default is 1, the only value it allows. */
    public static final int NUM_RETURN_SEQUENCES = 3;
    public static final double TEMPERATURE = 0.85;
    public static final double TOP_P = 0.95;
    public static final int TOP_K = 50;
    public static final int MAX_LENGTH = 128;
    public static final int MIN_LENGTH = 0;
    public static final boolean DEDUPE = true;
    public static final double REPETITION_PENALTY = 1.0;
    public static final int NO_REPEAT_NGRAM_SIZE = 0;
    /** Beam search defaults to {@code max(MIN_DEFAULT_BEAMS, num_return_sequences)} beams. */
    public static final int MIN_DEFAULT_BEAMS = 4;

    private RequestDefaults() {
    }

    /** {@code sample} for {@code augment} and {@code custom}, {@code beam} for the zero-shot tasks. */
    public static Decoding decoding(Task task) {
        return task.zeroShot() ? Decoding.BEAM : Decoding.SAMPLE;
    }

    public static int numReturnSequences(Decoding decoding) {
        return decoding == Decoding.GREEDY ? 1 : NUM_RETURN_SEQUENCES;
    }

    /** {@code max(4, num_return_sequences)} for beam search, 1 otherwise. */
    public static int numBeams(Decoding decoding, int numReturnSequences) {
        return decoding == Decoding.BEAM ? Math.max(MIN_DEFAULT_BEAMS, numReturnSequences) : 1;
    }
}
