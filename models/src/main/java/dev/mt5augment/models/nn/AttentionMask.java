package dev.mt5augment.models.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * Additive attention masks as transformers builds them: {@code 0} where attention is allowed and
 * {@code finfo(float32).min} (not −∞) where it is not, added to the scores before a float32 softmax.
 */
public final class AttentionMask {

    /** {@code torch.finfo(torch.float32).min}. */
    public static final float MASKED = -Float.MAX_VALUE;

    private AttentionMask() {
    }

    /** Right padding: {@code [n, 1, 1, keys]}, masking key positions at or after each row's length. */
    public static NDArray keyPadding(NDManager manager, int[] lengths, int keys) {
        float[] mask = new float[lengths.length * keys];
        for (int i = 0; i < lengths.length; i++) {
            for (int k = lengths[i]; k < keys; k++) mask[i * keys + k] = MASKED;
        }
        return manager.create(mask, new Shape(lengths.length, 1, 1, keys));
    }

    /** Decoder self-attention: {@code [1, 1, queries, keys]}, masking keys after each query position. */
    public static NDArray causal(NDManager manager, int queryStart, int queries, int keys) {
        float[] mask = new float[queries * keys];
        for (int q = 0; q < queries; q++) {
            for (int k = queryStart + q + 1; k < keys; k++) mask[q * keys + k] = MASKED;
        }
        return manager.create(mask, new Shape(1, 1, queries, keys));
    }
}
