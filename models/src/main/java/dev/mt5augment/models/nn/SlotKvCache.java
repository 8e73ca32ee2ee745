package dev.mt5augment.models.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.engine.PtNDManager;
import ai.djl.pytorch.jni.JniUtils;

/**
 * The decoder's self-attention keys and values for continuous batching: one
 * {@code [slots, heads, capacity, dKv]} buffer per layer, where each slot is one decoder row at its
 * own position ({@link StepPositions}). A step feeds the rows of slots {@code [0, rows)}, dense row
 * {@code i} being slot {@code i}, so self-attention runs one product over a view of the buffer, with
 * no gather or scatter of rows.
 *
 * <p>The caller keeps the live slots at the front: a row that leaves frees its slot, and
 * {@link #move} copies rows from the back into the holes (one slot's history each, not the
 * buffer). Rows that join take the slots after the live ones, {@link #clear}ed first: a slot's
 * masked keys then hold zeros, as in a static batch's fresh cache, never a former row's numbers.
 * {@link #reserve} grows the buffer, by blocks of {@value #SLOT_BLOCK} slots, when rows or
 * positions outgrow it; {@link #close} frees it, and a later {@code reserve} starts afresh.
 *
 * <p>Threading: confined to the generating thread.
 */
public final class SlotKvCache implements AutoCloseable {

    /** Slots are added in blocks: a few growths while a batch fills, each copying the live rows once. */
    static final int SLOT_BLOCK = 16;

    private final NDManager manager;
    private final int heads;
    private final int dKv;
    private final DataType type;
    private final NDArray[] keys;
    private final NDArray[] values;
    private int slots;
    private int capacity;

    /** Empty until {@link #reserve}d. */
    public SlotKvCache(NDManager manager, int layers, int heads, int dKv, DataType type) {
        this.manager = manager;
        this.heads = heads;
        this.dKv = dKv;
        this.type = type;
        this.keys = new NDArray[layers];
        this.values = new NDArray[layers];
    }

    public int slots() {
        return slots;
    }

    public int capacity() {
        return capacity;
    }

    /**
     * Makes room for {@code rows} slots of {@code positions} positions each, rounded up to the
     * {@link KeyWindow}; when the buffer grows, the first {@code liveRows} slots are copied over.
     */
    public void reserve(int rows, int positions, int liveRows) {
        int needCapacity = KeyWindow.capacity(positions);
        if (rows <= slots && needCapacity <= capacity) return;
        int newSlots = Math.max(slots, (rows + SLOT_BLOCK - 1) / SLOT_BLOCK * SLOT_BLOCK);
        int newCapacity = Math.max(needCapacity, capacity);
        Shape shape = new Shape(newSlots, heads, newCapacity, dKv);
        for (int l = 0; l < keys.length; l++) {
            keys[l] = grown(keys[l], shape, liveRows);
            values[l] = grown(values[l], shape, liveRows);
        }
        slots = newSlots;
        capacity = newCapacity;
    }

    private NDArray grown(NDArray old, Shape shape, int liveRows) {
        NDArray fresh = manager.zeros(shape, type);
        NDScope.unregister(fresh); // owned by the cache, not by a caller's step scope
        if (old != null) {
            if (liveRows > 0) {
                long[] min = {0, 0, 0, 0};
                long[] max = {liveRows, heads, capacity, dKv};
                try (NDScope ignored = new NDScope()) {
                    JniUtils.indexSet((PtNDArray) fresh, (PtNDArray) slice(old, liveRows, capacity), min, max, new long[] {1, 1, 1, 1});
                }
            }
            old.close();
        }
        return fresh;
    }

    /** Zeroes slots {@code [from, to)}: rows are about to join there. */
    public void clear(int from, int to) {
        if (from < 0 || to > slots || from > to) throw new IllegalArgumentException("cannot clear slots [" + from + ", " + to + ") of " + slots);
        if (from == to) return;
        try (NDScope ignored = new NDScope()) {
            NDArray zeros = manager.zeros(new Shape(to - from, heads, capacity, dKv), type);
            long[] min = {from, 0, 0, 0};
            long[] max = {to, heads, capacity, dKv};
            long[] step = {1, 1, 1, 1};
            for (int l = 0; l < keys.length; l++) {
                JniUtils.indexSet((PtNDArray) keys[l], (PtNDArray) zeros, min, max, step);
                JniUtils.indexSet((PtNDArray) values[l], (PtNDArray) zeros, min, max, step);
            }
        }
    }

    /** Copies the history of slot {@code from[i]} into slot {@code to[i]}, for every layer. */
    public void move(long[] from, long[] to) {
        if (from.length != to.length) throw new IllegalArgumentException(from.length + " sources for " + to.length + " targets");
        if (from.length == 0) return;
        try (NDScope ignored = new NDScope()) {
            NDIndex source = new NDIndex("{}", manager.create(from));
            NDIndex target = new NDIndex("{}", manager.create(to));
            for (int l = 0; l < keys.length; l++) {
                keys[l].set(target, keys[l].get(source));
                values[l].set(target, values[l].get(source));
            }
        }
    }

    /**
     * Writes the new position of every fed row: keys and values {@code [rows, heads, 1, dKv]} of
     * slots {@code [0, rows)}, each at its own position.
     */
    public void write(int layer, NDArray k, NDArray v, StepPositions at) {
        long rows = at.rows();
        NDIndex where = at.writeIndex();
        JniUtils.indexAdvPut((PtNDArray) keys[layer], where, (PtNDArray) k.reshape(rows, heads, dKv));
        JniUtils.indexAdvPut((PtNDArray) values[layer], where, (PtNDArray) v.reshape(rows, heads, dKv));
    }

    /** Keys of slots {@code [0, rows)}, positions {@code [0, upTo)}: a view {@code [rows, heads, upTo, dKv]}. */
    public NDArray keys(int layer, int rows, int upTo) {
        return slice(keys[layer], rows, upTo);
    }

    /** Values of slots {@code [0, rows)}, positions {@code [0, upTo)}: a view. */
    public NDArray values(int layer, int rows, int upTo) {
        return slice(values[layer], rows, upTo);
    }

    private NDArray slice(NDArray buffer, int rows, int upTo) {
        if (rows > slots || upTo > capacity) {
            throw new IllegalArgumentException("slots [0, " + rows + ") and positions [0, " + upTo + ") exceed the cache's "
                    + slots + " x " + capacity);
        }
        return JniUtils.index((PtNDArray) buffer, new long[] {0, 0, 0, 0}, new long[] {rows, heads, upTo, dKv},
                new long[] {1, 1, 1, 1}, (PtNDManager) buffer.getManager());
    }

    @Override
    public void close() {
        for (int l = 0; l < keys.length; l++) {
            if (keys[l] != null) keys[l].close();
            if (values[l] != null) values[l].close();
            keys[l] = null;
            values[l] = null;
        }
        slots = 0;
        capacity = 0;
    }
}
