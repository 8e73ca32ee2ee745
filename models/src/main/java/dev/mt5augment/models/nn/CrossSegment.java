package dev.mt5augment.models.nn;

/**
 * A run of decoder rows that attend to one {@link EncoderMemory}: rows
 * {@code [rowStart, rowStart + memory.inputs() · rowsPerInput)}, input {@code i} owning the
 * {@code rowsPerInput} rows starting at {@code rowStart + i · rowsPerInput}. Cross-attention runs one
 * batched product per segment, shaping the queries {@code [n, heads, rowsPerInput·t, dKv]} against
 * keys {@code [n, heads, S, dKv]}, so the rows of an input share its keys without a copy.
 *
 * @param rowStart     first decoder row of the segment
 * @param rowsPerInput return sequences or beams per input
 * @param memory       the encoded inputs
 */
public record CrossSegment(int rowStart, int rowsPerInput, EncoderMemory memory) {

    public CrossSegment {
        if (rowStart < 0) throw new IllegalArgumentException("rowStart must be >= 0");
        if (rowsPerInput < 1) throw new IllegalArgumentException("rowsPerInput must be >= 1");
    }

    public int rowCount() {
        return memory.inputs() * rowsPerInput;
    }

    public int rowEnd() {
        return rowStart + rowCount();
    }
}
