package dev.mt5augment.models.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;

/**
 * Decoder self-attention over the positions fed so far, through the {@link KvCache}: the new
 * positions' keys and values are written into the cache, then the queries attend to the cached
 * prefix. Fused {@code q|k|v} projection as in {@link SelfAttention}.
 */
public final class CausalSelfAttention {

    private final int layer;
    private final Linear qkv;
    private final Linear output;
    private final int heads;
    private final int dKv;

    public CausalSelfAttention(int layer, Linear qkv, Linear output, int heads, int dKv) {
        this.layer = layer;
        this.qkv = qkv;
        this.output = output;
        this.heads = heads;
        this.dKv = dKv;
    }

    /**
     * @param x     normed hidden states of the new positions {@code [rows, t, d_model]}
     * @param cache holds {@code cache.length()} earlier positions; the new ones are written after them
     * @param bias  position bias (and, for {@code t > 1}, the causal mask), {@code [1, heads, t, length + t]}
     * @return {@code [rows, t, d_model]}
     */
    public NDArray forward(NDArray x, KvCache cache, NDArray bias) {
        int t = Math.toIntExact(x.getShape().get(1));
        NDList qkvParts = DotProductAttention.splitLastAxis(qkv.apply(x), 3);
        NDArray q = DotProductAttention.splitHeads(qkvParts.get(0), heads, dKv);
        NDArray k = DotProductAttention.splitHeads(qkvParts.get(1), heads, dKv);
        NDArray v = DotProductAttention.splitHeads(qkvParts.get(2), heads, dKv);
        cache.write(layer, k, v);
        int upTo = cache.length() + t;
        NDArray context = DotProductAttention.attend(q, cache.keys(layer, upTo), cache.values(layer, upTo), bias);
        return output.apply(DotProductAttention.mergeHeads(context));
    }
}
