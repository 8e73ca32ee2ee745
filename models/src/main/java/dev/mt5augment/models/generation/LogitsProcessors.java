package dev.mt5augment.models.generation;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;

import java.util.List;

/**
 * The logits processors of a step, in transformers' order: repetition penalty, no-repeat n-gram,
 * min new tokens. Bans are collected in Java and written as −∞ in one engine call. Greedy and sampling
 * apply them to the raw logits, beam search to the log-softmax (as transformers 4.26 does).
 */
final class LogitsProcessors {

    private LogitsProcessors() {
    }

    /** @param scores {@code [rows, vocab]} float32, changed in place; finished rows are left alone */
    static void apply(NDArray scores, List<DecodingRow> rows, int eosId) {
        RepetitionPenalty.apply(scores, rows);
        int count = 0;
        long[] rowIndex = new long[16];
        long[] tokenIndex = new long[16];
        for (int r = 0; r < rows.size(); r++) {
            DecodingRow row = rows.get(r);
            if (row.finished) continue;
            for (int token : NoRepeatNgram.bannedTokens(row, row.config.noRepeatNgramSize())) {
                if (count == rowIndex.length) {
                    rowIndex = java.util.Arrays.copyOf(rowIndex, count * 2);
                    tokenIndex = java.util.Arrays.copyOf(tokenIndex, count * 2);
                }
                rowIndex[count] = r;
                tokenIndex[count++] = token;
            }
            if (MinNewTokens.bansEos(row)) {
                if (count == rowIndex.length) {
                    rowIndex = java.util.Arrays.copyOf(rowIndex, count * 2);
                    tokenIndex = java.util.Arrays.copyOf(tokenIndex, count * 2);
                }
                rowIndex[count] = r;
                tokenIndex[count++] = eosId;
            }
        }
        if (count == 0) return;
        NDManager m = scores.getManager();
        NDIndex at = new NDIndex("{}, {}", m.create(java.util.Arrays.copyOf(rowIndex, count)),
                m.create(java.util.Arrays.copyOf(tokenIndex, count)));
        scores.set(at, Float.NEGATIVE_INFINITY);
    }
}
