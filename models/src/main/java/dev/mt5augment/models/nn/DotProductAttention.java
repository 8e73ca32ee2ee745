package dev.mt5augment.models.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;

/**
 * The multi-head attention arithmetic of T5: {@code softmax(q·kᵀ + bias) · v} per head, with no
 * {@code 1/√d} scaling (T5 folds it into the initialisation), the bias holding the relative position
 * bias and the additive masks, and the softmax in float32.
 */
public final class DotProductAttention {

    private DotProductAttention() {
    }

    /** {@code [n, t, heads·dKv]} to {@code [n, heads, t, dKv]} (a view where the engine allows). */
    public static NDArray splitHeads(NDArray x, int heads, int dKv) {
        long n = x.getShape().get(0);
        long t = x.getShape().get(1);
        if (t == 1) return x.reshape(n, heads, 1, dKv);
        return x.reshape(n, t, heads, dKv).transpose(0, 2, 1, 3);
    }

    /** {@code [n, heads, t, dKv]} to {@code [n, t, heads·dKv]}. */
    public static NDArray mergeHeads(NDArray x) {
        long n = x.getShape().get(0);
        long heads = x.getShape().get(1);
        long t = x.getShape().get(2);
        long dKv = x.getShape().get(3);
        if (t == 1) return x.reshape(n, 1, heads * dKv);
        return x.transpose(0, 2, 1, 3).reshape(n, t, heads * dKv);
    }

    private static NDArray product(NDArray a, NDArray b) {
        if (!MatrixProductClock.enabled()) return a.matMul(b);
        long start = System.nanoTime();
        NDArray c = a.matMul(b);
        MatrixProductClock.add(start);
        return c;
    }

    /**
     * @param q    {@code [n, heads, tq, dKv]}
     * @param k    {@code [n, heads, tk, dKv]}
     * @param v    {@code [n, heads, tk, dKv]}
     * @param bias float32, broadcastable to {@code [n, heads, tq, tk]}
     * @return {@code [n, heads, tq, dKv]} in {@code v}'s type
     */
    public static NDArray attend(NDArray q, NDArray k, NDArray v, NDArray bias) {
        NDArray scores = product(q, k.transpose(0, 1, 3, 2));
        if (scores.getDataType() != DataType.FLOAT32) {
            NDArray wide = scores.toType(DataType.FLOAT32, false);
            scores.close();
            scores = wide;
        }
        scores.addi(bias);
        NDArray weights = scores.softmax(-1);
        scores.close();
        if (weights.getDataType() != v.getDataType()) {
            NDArray narrow = weights.toType(v.getDataType(), false);
            weights.close();
            weights = narrow;
        }
        NDArray out = product(weights, v);
        weights.close();
        return out;
    }
}
