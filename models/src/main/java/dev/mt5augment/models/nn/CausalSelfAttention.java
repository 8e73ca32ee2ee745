package dev.mt5augment.models.nn;

import ai.djl.ndarray.NDArray;

/**
 * Decoder self-attention over the positions fed so far, through the {@link KvCache}: the new
 * positions' keys and values are written into the cache, then the queries attend to the cached
 * prefix.
 */
public final class CausalSelfAttention {

    private final int layer;
    private final Linear query;
    private final Linear key;
    private final Linear value;
    private final Linear output;
    private final int heads;
    private final int dKv;

    public CausalSelfAttention(int layer, Linear query, Linear key, Linear value, Linear output, int heads, int dKv) {
        this.layer = layer;
        this.query = query;
        this.key = key;
        this.value = value;
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
        NDArray q = DotProductAttention.splitHeads(query.apply(x), heads, dKv);
        NDArray k = DotProductAttention.splitHeads(key.apply(x), heads, dKv);
        NDArray v = DotProductAttention.splitHeads(value.apply(x), heads, dKv);
        cache.write(layer, k, v);
        int upTo = cache.length() + t;
        NDArray context = DotProductAttention.attend(q, cache.keys(layer, upTo), cache.values(layer, upTo), bias);
        return output.apply(DotProductAttention.mergeHeads(context));
    }
}
