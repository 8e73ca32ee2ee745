package dev.mt5augment.models.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;

/**
 * What the decoder attends to for one group of inputs encoded together: the encoder output
 * projected once to every decoder layer's cross-attention keys and values, {@code [n, heads, S, dKv]},
 * and the additive key-padding mask {@code [n, 1, 1, S]}. Return sequences and beams of an input
 * share these by indexing; they are never copied per row.
 *
 * <p>Threading: confined to the generating thread.
 */
public final class EncoderMemory implements AutoCloseable {

    private final NDArray[] keys;
    private final NDArray[] values;
    private final NDArray mask;

    public EncoderMemory(NDArray[] keys, NDArray[] values, NDArray mask) {
        this.keys = keys;
        this.values = values;
        this.mask = mask;
    }

    public NDArray keys(int layer) {
        return keys[layer];
    }

    public NDArray values(int layer) {
        return values[layer];
    }

    public NDArray mask() {
        return mask;
    }

    /** Inputs in this group. */
    public int inputs() {
        return Math.toIntExact(mask.getShape().get(0));
    }

    /** Padded encoder length S. */
    public int length() {
        return Math.toIntExact(mask.getShape().get(3));
    }

    /** A new memory holding only the inputs {@code inputs} (int64 indices); this one is left as is. */
    public EncoderMemory select(NDArray inputs) {
        NDArray[] k = new NDArray[keys.length];
        NDArray[] v = new NDArray[values.length];
        for (int l = 0; l < keys.length; l++) {
            k[l] = keys[l].get(inputs);
            v[l] = values[l].get(inputs);
            NDScope.unregister(k[l], v[l]);
        }
        NDArray m = mask.get(inputs);
        NDScope.unregister(m);
        return new EncoderMemory(k, v, m);
    }

    @Override
    public void close() {
        for (int l = 0; l < keys.length; l++) {
            keys[l].close();
            values[l].close();
        }
        mask.close();
    }
}
