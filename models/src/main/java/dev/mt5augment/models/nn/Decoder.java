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

    DecoderLayer layer(int index) {
        return layers.get(index);
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

    /**
     * A zeroed cache for {@code rows} rows and {@code capacity} positions (rounded up to the
     * {@link KeyWindow}), in the projections' type.
     */
    public KvCache newCache(NDManager manager, int rows, int capacity) {
        return KvCache.allocate(manager, layers.size(), rows, heads, KeyWindow.capacity(capacity), dKv,
                layers.get(0).crossAttention().dataType());
    }

    /** An empty cache for rows at their own positions (continuous batching); it grows on {@link SlotKvCache#reserve}. */
    public SlotKvCache newSlotCache(NDManager manager) {
        return new SlotKvCache(manager, layers.size(), heads, dKv, layers.get(0).crossAttention().dataType());
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
        NDArray bias;
        if (t == 1) {
            bias = positionBias.stepBias(start);
        } else {
            bias = positionBias.bias(manager, start, t, start + t);
            bias.addi(AttentionMask.causal(manager, start, t, start + t));
        }
        NDArray x = embedding.lookup(ids);
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

    /**
     * Feeds one new position for rows each at its own position (continuous batching): row {@code i}
     * is slot {@code i} of {@code cache} and is fed at {@code positions[i]}. Each row gets the
     * position bias and {@link KeyWindow} of its own position, so it computes what it would compute
     * in a static batch.
     *
     * @param ids       {@code [rows, 1]} int64
     * @param positions per row; its keys and values are written there
     * @param segments  which rows attend to which encoder memory
     * @return {@code [rows, 1, d_model]} float32 after the final norm
     */
    public NDArray forward(NDArray ids, SlotKvCache cache, int[] positions, List<CrossSegment> segments) {
        if (ids.getShape().get(0) != positions.length || ids.getShape().get(1) != 1) {
            throw new IllegalArgumentException("ids " + ids.getShape() + " for " + positions.length + " rows of one position each");
        }
        StepPositions at = StepPositions.of(ids.getManager(), positions, positionBias);
        NDArray x = embedding.lookup(ids);
        for (DecoderLayer layer : layers) x = layer.forward(x, cache, at, segments);
        return finalNorm.apply(x);
    }
}
