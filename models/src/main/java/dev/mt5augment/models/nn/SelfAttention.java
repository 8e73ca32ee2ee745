package dev.mt5augment.models.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;

/**
 * Encoder self-attention: every position attends to every unpadded position, bidirectionally. The
 * {@code q}, {@code k} and {@code v} projections are one fused {@code [3·inner, d_model]} product.
 */
public final class SelfAttention {

    private final Linear qkv;
    private final Linear output;
    private final int heads;
    private final int dKv;

    public SelfAttention(Linear qkv, Linear output, int heads, int dKv) {
        this.qkv = qkv;
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
        NDList qkvParts = DotProductAttention.splitLastAxis(qkv.apply(x), 3);
        NDArray q = DotProductAttention.splitHeads(qkvParts.get(0), heads, dKv);
        NDArray k = DotProductAttention.splitHeads(qkvParts.get(1), heads, dKv);
        NDArray v = DotProductAttention.splitHeads(qkvParts.get(2), heads, dKv);
        NDArray context = DotProductAttention.attend(q, k, v, bias);
        return output.apply(DotProductAttention.mergeHeads(context));
    }
}
