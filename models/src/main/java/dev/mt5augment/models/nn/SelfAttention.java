package dev.mt5augment.models.nn;

import ai.djl.ndarray.NDArray;

/**
 * Encoder self-attention: every position attends to every unpadded position, bidirectionally.
 *
 * <p>The {@code q}, {@code k}, {@code v} projections stay three products on the mapped weights: fusing
 * them would need a copy of the weights (memory) and measured no faster at these shapes.
 */
public final class SelfAttention {

    private final Linear query;
    private final Linear key;
    private final Linear value;
    private final Linear output;
    private final int heads;
    private final int dKv;

    public SelfAttention(Linear query, Linear key, Linear value, Linear output, int heads, int dKv) {
        this.query = query;
        this.key = key;
        this.value = value;
        this.output = output;
        this.heads = heads;
        this.dKv = dKv;
    }

    /**
     * @param x    normed hidden states {@code [n, S, d_model]}
     * @param bias position bias plus key-padding mask, {@code [n, heads, S, S]}
     * @return {@code [n, S, d_model]}
     */
    public NDArray forward(NDArray x, NDArray bias) {
        NDArray q = DotProductAttention.splitHeads(query.apply(x), heads, dKv);
        NDArray k = DotProductAttention.splitHeads(key.apply(x), heads, dKv);
        NDArray v = DotProductAttention.splitHeads(value.apply(x), heads, dKv);
        NDArray context = DotProductAttention.attend(q, k, v, bias);
        return output.apply(DotProductAttention.mergeHeads(context));
    }
}
