package dev.mt5augment.models.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;

import java.util.List;

/**
 * Decoder self-attention over the positions fed so far, through the {@link KvCache}: the new
 * positions' keys and values are written into the cache, then the queries attend to the cached
 * prefix. Rows at different decoder positions (continuous batching) share the projections but each
 * {@link CacheSegment} attends over its own cache, at its own exact length.
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

    /**
     * Rows in several {@link CacheSegment}s: one product for each projection over all rows, then per
     * segment its slots' keys and values written and attended to with that segment's bias.
     *
     * @param x      normed hidden states {@code [rows, t, d_model]}, the segments' rows in order
     * @param runs   cover {@code [0, rows)} in order
     * @param biases per run, {@code [1, heads, t, run.cache().length() + t]}
     * @return {@code [rows, t, d_model]}
     */
    public NDArray forward(NDArray x, List<CacheSegment> runs, List<NDArray> biases) {
        long rows = x.getShape().get(0);
        if (runs.size() == 1 && runs.get(0).slots().isDense() && runs.get(0).rowCount() == rows) {
            return forward(x, runs.get(0).cache(), biases.get(0));
        }
        int t = Math.toIntExact(x.getShape().get(1));
        NDArray q = query.apply(x);
        NDArray k = key.apply(x);
        NDArray v = value.apply(x);
        NDList contexts = new NDList(runs.size());
        for (int i = 0; i < runs.size(); i++) {
            CacheSegment run = runs.get(i);
            RowSlots slots = run.slots();
            NDArray qs = slots.scatter(rows(q, run));
            NDArray ks = slots.scatter(rows(k, run));
            NDArray vs = slots.scatter(rows(v, run));
            KvCache cache = run.cache();
            cache.write(layer, DotProductAttention.splitHeads(ks, heads, dKv), DotProductAttention.splitHeads(vs, heads, dKv));
            int upTo = cache.length() + t;
            NDArray context = DotProductAttention.attend(DotProductAttention.splitHeads(qs, heads, dKv),
                    cache.keys(layer, upTo), cache.values(layer, upTo), biases.get(i));
            contexts.add(slots.gather(DotProductAttention.mergeHeads(context)));
        }
        NDArray merged = contexts.size() == 1 ? contexts.get(0) : NDArrays.concat(contexts, 0);
        return output.apply(merged);
    }

    /** The dense rows of one run: a view. */
    static NDArray rows(NDArray all, int start, int end) {
        if (start == 0 && end == all.getShape().get(0)) return all;
        return JniUtils.slice((PtNDArray) all, 0, start, end, 1);
    }

    private static NDArray rows(NDArray all, CacheSegment run) {
        return rows(all, run.rowStart(), run.rowEnd());
    }
}
