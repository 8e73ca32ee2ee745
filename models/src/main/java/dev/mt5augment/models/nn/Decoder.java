package dev.mt5augment.models.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;

import java.util.List;

/**
 * The decoder stack: token embedding, blocks sharing block 0's causal position bias, final norm.
 * Runs any number of new positions at once against a {@link KvCache} (one per step in generation;
 * several for teacher forcing).
 */
public final class Decoder {

    private final TokenEmbedding embedding;
    private final RelativePositionBias positionBias;
    private final List<DecoderLayer> layers;
    private final RmsNorm finalNorm;
    private final int heads;
    private final int dKv;

    public Decoder(TokenEmbedding embedding, RelativePositionBias positionBias, List<DecoderLayer> layers, RmsNorm finalNorm,
                   int heads, int dKv) {
        this.embedding = embedding;
        this.positionBias = positionBias;
        this.layers = List.copyOf(layers);
        this.finalNorm = finalNorm;
        this.heads = heads;
        this.dKv = dKv;
    }

    public int layerCount() {
        return layers.size();
    }

    /**
     * Projects an encoder output once to every layer's cross-attention keys and values. The result
     * outlives any {@link NDScope} open around the call; the caller closes it.
     *
     * @param encoderOutput {@code [n, S, d_model]}
     * @param lengths       unpadded length of each input
     */
    public EncoderMemory memory(NDArray encoderOutput, int[] lengths) {
        NDArray[] keys = new NDArray[layers.size()];
        NDArray[] values = new NDArray[layers.size()];
        int s = Math.toIntExact(encoderOutput.getShape().get(1));
        for (int l = 0; l < layers.size(); l++) {
            NDArray[] kv = layers.get(l).crossAttention().project(encoderOutput);
            keys[l] = kv[0];
            values[l] = kv[1];
            NDScope.unregister(kv);
        }
        NDArray mask = AttentionMask.keyPadding(encoderOutput.getManager(), lengths, s);
        NDScope.unregister(mask);
        return new EncoderMemory(keys, values, mask);
    }

    /** A zeroed cache for {@code rows} rows and {@code capacity} positions, in the projections' type. */
    public KvCache newCache(NDManager manager, int rows, int capacity) {
        return KvCache.allocate(manager, layers.size(), rows, heads, capacity, dKv,
                layers.get(0).crossAttention().dataType());
    }

    /**
     * Feeds {@code t} new positions per row and commits them to the cache.
     *
     * @param ids      {@code [rows, t]} int64 decoder input ids at positions {@code [cache.length(), +t)}
     * @param segments which rows attend to which encoder memory, covering all rows in order
     * @param hidden   when not null, receives copies of the intermediate states (see {@link Encoder#forward})
     * @return {@code [rows, t, d_model]} float32 after the final norm
     */
    public NDArray forward(NDArray ids, KvCache cache, List<CrossSegment> segments, List<NDArray> hidden) {
        NDManager manager = ids.getManager();
        int t = Math.toIntExact(ids.getShape().get(1));
        int start = cache.length();
        NDArray x = embedding.lookup(ids);
        NDArray bias = positionBias.bias(manager, start, t, start + t);
        if (t > 1) bias.addi(AttentionMask.causal(manager, start, t, start + t));
        if (hidden != null) hidden.add(x.duplicate());
        for (int l = 0; l < layers.size(); l++) {
            x = layers.get(l).forward(x, cache, bias, segments);
            if (hidden != null && l < layers.size() - 1) hidden.add(x.duplicate());
        }
        cache.advance(t);
        NDArray out = finalNorm.apply(x);
        if (hidden != null) hidden.add(out.duplicate());
        return out;
    }
}
