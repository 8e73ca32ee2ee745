package dev.mt5augment.models.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;

/**
 * The decoder's self-attention keys and values of every position fed so far, one
 * {@code [rows, heads, capacity, dKv]} buffer per layer, allocated once per generation and written
 * in place: a step copies only its new position, never the history.
 *
 * <p>Reads and writes go straight to the PyTorch engine's slice and slice-assign (one native call
 * each) because DJL's generic indexing spends three to five calls on the same thing.
 *
 * <p>Threading: confined to the generating thread.
 */
public final class KvCache implements AutoCloseable {

    private final NDArray[] keys;
    private final NDArray[] values;
    private final int capacity;
    private int length;

    private KvCache(NDArray[] keys, NDArray[] values, int capacity) {
        this.keys = keys;
        this.values = values;
        this.capacity = capacity;
    }

    /** Zero-filled buffers for {@code capacity} positions of {@code rows} rows. */
    public static KvCache allocate(NDManager manager, int layers, int rows, int heads, int capacity, int dKv, DataType type) {
        NDArray[] k = new NDArray[layers];
        NDArray[] v = new NDArray[layers];
        Shape shape = new Shape(rows, heads, capacity, dKv);
        for (int l = 0; l < layers; l++) {
            k[l] = manager.zeros(shape, type);
            v[l] = manager.zeros(shape, type);
            NDScope.unregister(k[l], v[l]); // owned by the cache, not by a caller's step scope
        }
        return new KvCache(k, v, capacity);
    }

    /** Positions written and committed so far. */
    public int length() {
        return length;
    }

    public int capacity() {
        return capacity;
    }

    public int rows() {
        return Math.toIntExact(keys[0].getShape().get(0));
    }

    /** Writes {@code [rows, heads, t, dKv]} at positions {@code [length, length + t)} of one layer. */
    public void write(int layer, NDArray k, NDArray v) {
        long t = k.getShape().get(2);
        if (length + t > capacity) {
            throw new IllegalStateException("KV cache holds " + capacity + " positions; cannot write " + t + " more after " + length);
        }
        Shape s = keys[layer].getShape();
        long[] min = {0, 0, length, 0};
        long[] max = {s.get(0), s.get(1), length + t, s.get(3)};
        long[] step = {1, 1, 1, 1};
        JniUtils.indexSet((PtNDArray) keys[layer], (PtNDArray) k, min, max, step);
        JniUtils.indexSet((PtNDArray) values[layer], (PtNDArray) v, min, max, step);
    }

    /** Keys of positions {@code [0, upTo)}: a view {@code [rows, heads, upTo, dKv]}. */
    public NDArray keys(int layer, int upTo) {
        return JniUtils.slice((PtNDArray) keys[layer], 2, 0, upTo, 1);
    }

    /** Values of positions {@code [0, upTo)}: a view {@code [rows, heads, upTo, dKv]}. */
    public NDArray values(int layer, int upTo) {
        return JniUtils.slice((PtNDArray) values[layer], 2, 0, upTo, 1);
    }

    /** Commits {@code t} positions written to every layer. */
    public void advance(int t) {
        length += t;
    }

    /**
     * Keeps the rows {@code rows} in that order (a row may repeat: beam search reorders and copies
     * beams this way). The engine copies the selected rows; the old buffers are freed.
     */
    public void select(NDArray rows) {
        for (int l = 0; l < keys.length; l++) {
            NDArray k = keys[l].get(rows);
            NDArray v = values[l].get(rows);
            NDScope.unregister(k, v);
            keys[l].close();
            values[l].close();
            keys[l] = k;
            values[l] = v;
        }
    }

    @Override
    public void close() {
        for (int l = 0; l < keys.length; l++) {
            keys[l].close();
            values[l].close();
        }
    }
}
