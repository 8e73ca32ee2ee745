package dev.mt5augment.models.generation;

/**
 * When waiting inputs join a continuous batch. A join is not free: the joining inputs are encoded
 * in one pass per padded length, and on a CPU a pass spends about as long reading the encoder's
 * weights (340 MB for mT5-base) as computing a few inputs, while the decoder step it feeds costs
 * the same whether 45 or 48 rows run. So inputs join once {@code minFreeRows} rows are free, or
 * once a row has been free for {@code maxDeferredSteps} steps with inputs waiting (so that none
 * waits long), or at once when the batch is empty.
 *
 * <p>Threading: not thread-safe; one per session, on its thread.
 *
 * @see GenerationSession
 */
public final class AdmissionPolicy {

    private final int maxRows;
    private final int minFreeRows;
    private final int maxDeferredSteps;
    private int deferred;

    /**
     * @param maxRows          most live decoder rows
     * @param minFreeRows      free rows worth an admission (1 admits at every step)
     * @param maxDeferredSteps steps an admission may wait with a row free and inputs waiting
     */
    public AdmissionPolicy(int maxRows, int minFreeRows, int maxDeferredSteps) {
        if (maxRows < 1) throw new IllegalArgumentException("maxRows must be >= 1, got " + maxRows);
        if (minFreeRows < 1 || minFreeRows > maxRows) {
            throw new IllegalArgumentException("minFreeRows must be in [1, maxRows], got " + minFreeRows);
        }
        if (maxDeferredSteps < 0) throw new IllegalArgumentException("maxDeferredSteps must be >= 0, got " + maxDeferredSteps);
        this.maxRows = maxRows;
        this.minFreeRows = minFreeRows;
        this.maxDeferredSteps = maxDeferredSteps;
    }

    /**
     * Defaults: admit once a sixteenth of the rows is free (3 of 48: one request of 3 returns), or
     * after 8 steps of waiting. Measured on mT5-base, 2 CPU threads, 128 requests of 3 returns, 48
     * rows: joining at 3 / 6 / 12 free rows took 110 / 114 / 120 s, fewer decoder steps (233 / 237 /
     * 253) outweighing the extra encoder passes.
     */
    public static AdmissionPolicy forRows(int maxRows) {
        return new AdmissionPolicy(maxRows, Math.max(1, maxRows / 16), 8);
    }

    public int maxRows() {
        return maxRows;
    }

    public int minFreeRows() {
        return minFreeRows;
    }

    /**
     * Called once before each step.
     *
     * @param liveRows      rows the session holds
     * @param inputsWaiting whether any input waits to join
     * @return decoder rows that may join now; 0 to wait. When the session is empty, at least one input
     *         should join even if it alone exceeds this.
     */
    public int admissibleRows(int liveRows, boolean inputsWaiting) {
        int free = Math.max(0, maxRows - liveRows);
        if (!inputsWaiting || free == 0) {
            deferred = 0;
            return 0;
        }
        if (liveRows == 0 || free >= minFreeRows || ++deferred > maxDeferredSteps) {
            deferred = 0;
            return free;
        }
        return 0;
    }
}
