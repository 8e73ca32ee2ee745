package dev.mt5augment.models.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;

/**
 * Decoder self-attention over the positions fed so far, through the {@link KvCache}: the new
 * positions' keys and values are written into the cache, then the queries attend to the cached
 * prefix: a single new position over its {@link KeyWindow}, several (teacher forcing) over exactly
 * the prefix with a causal mask. Rows at different decoder positions (continuous batching) keep their
 * keys in a {@link SlotKvCache}.
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
     * @param bias  position bias and causal mask: for one new position {@code [1, heads, 1, KeyWindow.keys(length)]}
     *              ({@link RelativePositionBias#stepBias}), for {@code t > 1} {@code [1, heads, t, length + t]}
     * @return {@code [rows, t, d_model]}
     */
    public NDArray forward(NDArray x, KvCache cache, NDArray bias) {
        int t = Math.toIntExact(x.getShape().get(1));
        NDArray q = DotProductAttention.splitHeads(query.apply(x), heads, dKv);
        NDArray k = DotProductAttention.splitHeads(key.apply(x), heads, dKv);
        NDArray v = DotProductAttention.splitHeads(value.apply(x), heads, dKv);
        cache.write(layer, k, v);
        int upTo = t == 1 ? KeyWindow.keys(cache.length()) : cache.length() + t;
        NDArray context = DotProductAttention.attend(q, cache.keys(layer, upTo), cache.values(layer, upTo), bias);
        return output.apply(DotProductAttention.mergeHeads(context));
    }

    /**
     * Rows each at its own position (continuous batching): one product for each projection, the new
     * keys and values written at every row's position in one engine call each, then one attention
     * product per {@link StepPositions.KeyGroup} (one in the usual case) over a view of the cache.
     *
     * @param x  normed hidden states {@code [rows, 1, d_model]}, row {@code i} being slot {@code i}
     * @param at the rows' positions
     * @return {@code [rows, 1, d_model]}
     */
    public NDArray forward(NDArray x, SlotKvCache cache, StepPositions at) {
        int rows = at.rows();
        NDArray q = DotProductAttention.splitHeads(query.apply(x), heads, dKv);
        NDArray k = key.apply(x);
        NDArray v = value.apply(x);
        cache.write(layer, k, v, at);
        NDArray context = null;
        for (StepPositions.KeyGroup group : at.groups()) {
            NDArray c = DotProductAttention.attend(q, cache.keys(layer, rows, group.keys()), cache.values(layer, rows, group.keys()),
                    group.bias());
            if (group.rows() == null) {
                context = c;
            } else if (context == null) {
                context = c; // rows of later groups are overwritten below
            } else {
                NDIndex members = new NDIndex("{}", group.rows());
                context.set(members, c.get(members));
            }
        }
        return output.apply(DotProductAttention.mergeHeads(context));
    }
}
