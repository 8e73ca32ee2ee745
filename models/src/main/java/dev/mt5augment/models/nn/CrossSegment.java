package dev.mt5augment.models.nn;

import ai.djl.ndarray.NDArray;

/**
 * A run of decoder rows that attend to one {@link EncoderMemory}. Physically the segment has
 * {@code memory.inputs() · rowsPerInput} query rows, input {@code i} owning the {@code rowsPerInput}
 * rows starting at {@code i · rowsPerInput}; {@code slots} says which of them are live, and the live
 * ones are either the dense rows {@code [rowStart, rowStart + slots.liveCount())} or, when
 * {@code denseRows} is given, those dense rows in that order. Cross-attention runs one batched product
 * per segment, shaping the queries {@code [n, heads, rowsPerInput·t, dKv]} against keys
 * {@code [n, heads, S, dKv]}, so the rows of an input share its keys without a copy.
 *
 * @param rowStart     first dense row of the segment when its rows are contiguous; ignored with {@code denseRows}
 * @param rowsPerInput return sequences or beams per input
 * @param memory       the encoded inputs
 * @param slots        which physical rows are live; {@link RowSlots#all} in a static batch
 * @param denseRows    int64 {@code [slots.liveCount()]}: the dense row of each live slot, or null
 *                     for the contiguous run from {@code rowStart} (continuous batching pools a
 *                     memory's inputs across decoder positions, whose rows are not contiguous)
 */
public record CrossSegment(int rowStart, int rowsPerInput, EncoderMemory memory, RowSlots slots, NDArray denseRows) {

    public CrossSegment {
        if (rowStart < 0) throw new IllegalArgumentException("rowStart must be >= 0");
        if (rowsPerInput < 1) throw new IllegalArgumentException("rowsPerInput must be >= 1");
        if (slots.slotCount() != memory.inputs() * rowsPerInput) {
            throw new IllegalArgumentException("slots cover " + slots.slotCount() + " rows, the segment has "
                    + memory.inputs() * rowsPerInput);
        }
        if (denseRows != null && denseRows.size() != slots.liveCount()) {
            throw new IllegalArgumentException(denseRows.size() + " dense rows for " + slots.liveCount() + " live slots");
        }
    }

    /** Every row of every input live, contiguous from {@code rowStart} (a static batch). */
    public CrossSegment(int rowStart, int rowsPerInput, EncoderMemory memory) {
        this(rowStart, rowsPerInput, memory, RowSlots.all(memory.inputs() * rowsPerInput), null);
    }

    /** Live slots {@code slots}, contiguous dense rows from {@code rowStart}. */
    public CrossSegment(int rowStart, int rowsPerInput, EncoderMemory memory, RowSlots slots) {
        this(rowStart, rowsPerInput, memory, slots, null);
    }

    /** Live slots {@code slots} at the dense rows {@code denseRows}, in slot order. */
    public static CrossSegment scattered(NDArray denseRows, int rowsPerInput, EncoderMemory memory, RowSlots slots) {
        if (denseRows == null) throw new IllegalArgumentException("denseRows is required");
        return new CrossSegment(0, rowsPerInput, memory, slots, denseRows);
    }

    public boolean contiguous() {
        return denseRows == null;
    }

    /** Dense rows of the segment. */
    public int rowCount() {
        return slots.liveCount();
    }

    /** End of the contiguous run (contiguous segments only). */
    public int rowEnd() {
        return rowStart + rowCount();
    }
}
