package dev.mt5augment.worker.batch;

import java.util.List;

/**
 * Rows chosen to run together.
 *
 * @param rows          encoder rows, shortest input first
 * @param decoderRows   sum of the rows' decoder rows
 * @param longestInput  the padded encoder length
 * @param realTokens    sum of the rows' input lengths
 */
public record PlannedBatch<R extends BatchableRow>(List<R> rows, int decoderRows, int longestInput, int realTokens) {
    public PlannedBatch {
        rows = List.copyOf(rows);
    }

    /** The batch of the given rows, as they are (no limits applied, order kept). */
    public static <R extends BatchableRow> PlannedBatch<R> of(List<R> rows) {
        int decoderRows = 0;
        int longest = 0;
        int real = 0;
        for (R r : rows) {
            decoderRows += r.decoderRows();
            longest = Math.max(longest, r.inputTokens());
            real += r.inputTokens();
        }
        return new PlannedBatch<>(rows, decoderRows, longest, real);
    }

    /** Padded encoder tokens: rows × longest input. */
    public int paddedTokens() {
        return rows.size() * longestInput;
    }

    /** Share of the padded encoder input that is padding, 0 (none) to just under 1. */
    public double paddingRatio() {
        int padded = paddedTokens();
        return padded == 0 ? 0.0 : 1.0 - (double) realTokens / padded;
    }
}
