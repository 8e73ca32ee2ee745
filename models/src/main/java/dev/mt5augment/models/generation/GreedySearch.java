package dev.mt5augment.models.generation;

import ai.djl.ndarray.NDArray;

import java.util.List;

/**
 * The highest-scoring token of every row, taken on the device; only the ids and their
 * log-probabilities (log-softmax of the processed logits) come back to Java.
 */
final class GreedySearch implements TokenSelector {

    @Override
    public Choice[] select(NDArray scores, List<DecodingRow> rows) {
        long rowCount = scores.getShape().get(0);
        // Argmax of the logits themselves, not of the log-softmax: subtracting the log-sum-exp can
        // round two close logits to a tie and flip the choice.
        NDArray best = scores.argMax(1);
        NDArray logProbs = scores.logSoftmax(1).gather(best.reshape(rowCount, 1), 1);
        long[] tokens = best.toLongArray();
        float[] lp = logProbs.toFloatArray();
        Choice[] out = new Choice[rows.size()];
        for (int r = 0; r < out.length; r++) {
            if (!rows.get(r).finished) out[r] = new Choice((int) tokens[r], lp[r]);
        }
        return out;
    }
}
