package dev.mt5augment.models.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;

/**
 * Where a run of live decoder rows sits among the physical query slots of a {@link CrossSegment}'s
 * batched product.
 *
 * <p>Why slots: in continuous batching a row that finishes leaves the dense batch at once, so the
 * projections, feed-forward and LM head stop spending on it; but the cross-attention product shapes
 * an input's rows side by side against its keys, and removing a row there would change that shape
 * for the input's other rows (and their numbers), while removing the input's keys copies the whole
 * memory. The product therefore keeps running on the physical layout, the dead slots fed zero
 * queries, and the live rows are scattered into it and gathered back out. A dead slot's numbers
 * never reach a live row: rows are only stacked along the query axis, where every output row depends
 * on its own query row alone.
 *
 * <p>Created per step; the index array belongs to the step's scope.
 */
public final class RowSlots {

    private final int slotCount;
    private final int liveCount;
    private final NDArray index;

    private RowSlots(int slotCount, int liveCount, NDArray index) {
        this.slotCount = slotCount;
        this.liveCount = liveCount;
        this.index = index;
    }

    /** Every slot live, in order: scatter and gather are the identity. */
    public static RowSlots all(int slotCount) {
        if (slotCount < 1) throw new IllegalArgumentException("slotCount must be >= 1, got " + slotCount);
        return new RowSlots(slotCount, slotCount, null);
    }

    /**
     * @param live      the slot of each live row, strictly increasing, within {@code [0, slotCount)}
     * @param slotCount physical slots
     */
    public static RowSlots of(NDManager manager, long[] live, int slotCount) {
        if (live.length == 0) throw new IllegalArgumentException("a run needs at least one live row");
        for (int i = 0; i < live.length; i++) {
            if (live[i] < 0 || live[i] >= slotCount || (i > 0 && live[i] <= live[i - 1])) {
                throw new IllegalArgumentException("slots must increase within [0, " + slotCount + "), got " + java.util.Arrays.toString(live));
            }
        }
        if (live.length == slotCount) return all(slotCount);
        return new RowSlots(slotCount, live.length, manager.create(live));
    }

    public int slotCount() {
        return slotCount;
    }

    /** Live rows, that is dense rows of the run. */
    public int liveCount() {
        return liveCount;
    }

    /** True when every slot is live: no scatter or gather is needed. */
    public boolean isDense() {
        return index == null;
    }

    /** Dense rows {@code [live, ...]} to the physical layout {@code [slotCount, ...]}; dead slots hold zeros. */
    public NDArray scatter(NDArray dense) {
        if (index == null) return dense;
        Shape shape = dense.getShape();
        NDArray physical = dense.getManager().zeros(new Shape(slotCount).addAll(shape.slice(1)), dense.getDataType());
        physical.set(new NDIndex("{}", index), dense);
        return physical;
    }

    /** The live slots of {@code [slotCount, ...]}, as dense rows {@code [live, ...]}. */
    public NDArray gather(NDArray physical) {
        if (index == null) return physical;
        return physical.get(new NDIndex("{}", index));
    }
}
