package dev.mt5augment.models.nn;

/**
 * A run of decoder rows that share one {@link KvCache}, and so one decoder position: dense rows
 * {@code [rowStart, rowStart + slots.liveCount())} are the cache's live slots, in slot order.
 *
 * <p>Rows at different positions never share a self-attention product. Attending over a key axis
 * padded with masked keys to the longest row would give the same softmax weights but not the same
 * floats: the engine's reductions over a longer axis group their additions differently (measured:
 * 162 of 256 cases differ by up to 4e-6 at mT5-base's head size). Each position keeps its exact key
 * length, as a static batch has it, so a row's numbers do not depend on the positions of the others.
 *
 * @param rowStart first dense row of the run
 * @param cache    the run's keys and values; its {@link KvCache#length()} is the run's position
 * @param slots    which cache rows the dense rows are
 */
public record CacheSegment(int rowStart, KvCache cache, RowSlots slots) {

    public CacheSegment {
        if (rowStart < 0) throw new IllegalArgumentException("rowStart must be >= 0");
        if (slots.slotCount() != cache.rows()) {
            throw new IllegalArgumentException("slots cover " + slots.slotCount() + " rows, the cache has " + cache.rows());
        }
    }

    /** The whole cache as one dense run starting at row 0 (a static batch). */
    public static CacheSegment whole(KvCache cache) {
        return new CacheSegment(0, cache, RowSlots.all(cache.rows()));
    }

    public int rowCount() {
        return slots.liveCount();
    }

    public int rowEnd() {
        return rowStart + rowCount();
    }
}
