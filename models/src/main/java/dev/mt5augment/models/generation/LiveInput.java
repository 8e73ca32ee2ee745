package dev.mt5augment.models.generation;

import java.util.ArrayList;
import java.util.List;

/**
 * An input inside a {@link ContinuousBatcher}: the caller's tag, its config and its decoder rows (one
 * per return sequence, each with its own random stream seeded from the config's seed and its index,
 * as in a static batch). Each unfinished row holds a slot of the batcher's KV cache; the input holds
 * {@code rows.length} slots of its {@link MemoryPool}'s cross-attention product.
 *
 * <p>Threading: confined to the generating thread.
 */
final class LiveInput<T> {

    final T tag;
    final GenerationConfig config;
    final DecodingRow[] rows;
    final int paddedLength;
    /** Finished or evicted: its slots in its memory pool are dead. */
    boolean left;
    /** During a step: the dense row of each of its rows, or -1 when the row is not fed. */
    final int[] denseRow;

    LiveInput(T tag, int serial, GenerationConfig config, int startToken, int paddedLength) {
        this.tag = tag;
        this.config = config;
        this.paddedLength = paddedLength;
        this.rows = new DecodingRow[config.numReturnSequences()];
        this.denseRow = new int[rows.length];
        for (int r = 0; r < rows.length; r++) rows[r] = new DecodingRow(serial, r, config, startToken, config.maxNewTokens());
    }

    int unfinishedRows() {
        int n = 0;
        for (DecodingRow row : rows) if (!row.finished) n++;
        return n;
    }

    boolean finished() {
        return unfinishedRows() == 0;
    }

    GenerationOutput output() {
        List<GeneratedSequence> sequences = new ArrayList<>(rows.length);
        for (DecodingRow row : rows) sequences.add(new GeneratedSequence(row.sequence(), (float) row.score));
        return new GenerationOutput(sequences);
    }
}
