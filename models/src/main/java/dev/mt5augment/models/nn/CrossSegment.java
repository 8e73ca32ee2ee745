package dev.mt5augment.models.nn;

/**
 * A run of decoder rows that attend to one {@link EncoderMemory}. Physically the segment has
 * {@code memory.inputs() · rowsPerInput} query rows, input {@code i} owning the {@code rowsPerInput}
 * rows starting at {@code i · rowsPerInput}; the dense rows {@code [rowStart, rowStart + slots.liveCount())}
 * are its live ones ({@link RowSlots}). Cross-attention runs one batched product per segment, shaping
 * the queries {@code [n, heads, rowsPerInput·t, dKv]} against keys {@code [n, heads, S, dKv]}, so the
 * rows of an input share its keys without a copy.
 *
 * @param rowStart     first dense row of the segment
 * @param rowsPerInput return sequences or beams per input
 * @param memory       the encoded inputs
 * @param slots        which physical rows are live; {@link RowSlots#all} in a static batch
 */
public record CrossSegment(int rowStart, int rowsPerInput, EncoderMemory memory, RowSlots slots) {

    public CrossSegment {
        if (rowStart < 0) throw new IllegalArgumentException("rowStart must be >= 0");
        if (rowsPerInput < 1) throw new IllegalArgumentException("rowsPerInput must be >= 1");
        if (slots.slotCount() != memory.inputs() * rowsPerInput) {
            throw new IllegalArgumentException("slots cover " + slots.slotCount() + " rows, the segment has "
                    + memory.inputs() * rowsPerInput);
        }
    }

    /** Every row of every input live (a static batch). */
    public CrossSegment(int rowStart, int rowsPerInput, EncoderMemory memory) {
        this(rowStart, rowsPerInput, memory, RowSlots.all(memory.inputs() * rowsPerInput));
    }

    /** Dense rows of the segment. */
    public int rowCount() {
        return slots.liveCount();
    }

    public int rowEnd() {
        return rowStart + rowCount();
    }
}
