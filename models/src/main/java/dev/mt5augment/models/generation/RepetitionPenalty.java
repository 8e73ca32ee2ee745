package dev.mt5augment.models.generation;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;

import java.util.BitSet;
import java.util.List;

/**
 * transformers' {@code RepetitionPenaltyLogitsProcessor} (CTRL): every distinct token already in a
 * row's decoder sequence, the start token included, has its score multiplied by the penalty when
 * negative and divided by it otherwise. The affected scores are gathered in one engine call,
 * penalised in Java (float32 arithmetic, as the engine would) and written back in one call.
 */
final class RepetitionPenalty {

    private RepetitionPenalty() {
    }

    /** @param scores {@code [rows, vocab]} float32, changed in place; finished rows are skipped */
    static void apply(NDArray scores, List<DecodingRow> rows) {
        int pairs = 0;
        BitSet[] seen = new BitSet[rows.size()];
        for (int r = 0; r < rows.size(); r++) {
            DecodingRow row = rows.get(r);
            if (row.finished || row.config.repetitionPenalty() == 1f) continue;
            seen[r] = new BitSet();
            for (int i = 0; i < row.length(); i++) seen[r].set(row.token(i));
            pairs += seen[r].cardinality();
        }
        if (pairs == 0) return;
        long[] rowIndex = new long[pairs];
        long[] tokenIndex = new long[pairs];
        float[] penalty = new float[pairs];
        int p = 0;
        for (int r = 0; r < rows.size(); r++) {
            if (seen[r] == null) continue;
            for (int t = seen[r].nextSetBit(0); t >= 0; t = seen[r].nextSetBit(t + 1)) {
                rowIndex[p] = r;
                tokenIndex[p] = t;
                penalty[p] = rows.get(r).config.repetitionPenalty();
                p++;
            }
        }
        NDManager m = scores.getManager();
        NDIndex at = new NDIndex("{}, {}", m.create(rowIndex), m.create(tokenIndex));
        float[] values = scores.get(at).toFloatArray();
        for (int i = 0; i < values.length; i++) {
            values[i] = values[i] < 0 ? values[i] * penalty[i] : values[i] / penalty[i];
        }
        scores.set(at, m.create(values));
    }
}
